import django_filters
from django.db.models import Q

from linli.api.filters import DateFilter
from participation.filters import ID_RANGE
from participation.models import PartyMember, PartyReport


class PartyMemberFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="姓名、党组织或工作单位包含")

    class Meta:
        model = PartyMember
        fields = ["status", "kind", "community", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(user__display_name__icontains=value) | Q(organisation__icontains=value) | Q(workplace__icontains=value)
        )


class PartyReportFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="报到社区 id", **ID_RANGE)
    reported_from = DateFilter(field_name="reported_on", lookup_expr="gte", help_text="报到日期起（含）")
    reported_to = DateFilter(field_name="reported_on", lookup_expr="lte", help_text="报到日期止（含）")

    class Meta:
        model = PartyReport
        fields = ["community", "reported_from", "reported_to"]
