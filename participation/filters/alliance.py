import django_filters
from django.db.models import Q

from participation.filters import ID_RANGE
from participation.models import Need, Project, Resource


class ResourceFilterSet(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="共建单位 id", **ID_RANGE)
    alliance = django_filters.NumberFilter(field_name="unit__alliance_id", help_text="联盟 id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="资源名称、说明或单位名称包含")

    class Meta:
        model = Resource
        fields = ["kind", "status", "unit", "alliance", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(unit__name__icontains=value)
        )


class NeedFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    alliance = django_filters.NumberFilter(field_name="alliance_id", help_text="联盟 id", **ID_RANGE)

    class Meta:
        model = Need
        fields = ["status", "kind", "community", "alliance"]


class ProjectFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    alliance = django_filters.NumberFilter(field_name="alliance_id", help_text="联盟 id", **ID_RANGE)
    need = django_filters.NumberFilter(field_name="need_id", help_text="需求 id", **ID_RANGE)

    class Meta:
        model = Project
        fields = ["status", "community", "alliance", "need"]
