import django_filters
from django.db.models import Q

from linli.devices.models import Device

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class StaffDeviceFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="Code, name or location contains")

    class Meta:
        model = Device
        fields = ["status", "kind", "community", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(location__icontains=value))
