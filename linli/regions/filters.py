import django_filters
from django.db.models import Q

from linli.regions.models import Community


class CommunityFilterSet(django_filters.FilterSet):
    street = django_filters.CharFilter(field_name="street__code", help_text="Street code, e.g. baiyun")
    district = django_filters.CharFilter(field_name="street__district", help_text="District name, e.g. 柯城区")
    search = django_filters.CharFilter(method="filter_search", help_text="Name, code or address contains")

    class Meta:
        model = Community
        fields = ["street", "district", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value))
