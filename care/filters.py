import django_filters

from care.models import CareOrder, CareService, SubsidyAccount, SubsidyEntry, Visit, VisitPlan
from linli.api.filters import DateFilter

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class CareServiceFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    provider = django_filters.NumberFilter(field_name="provider_id", help_text="Provider id", **ID_RANGE)

    class Meta:
        model = CareService
        fields = ["community", "provider", "kind", "subsidy_eligible"]


class MyCareOrderFilterSet(django_filters.FilterSet):
    class Meta:
        model = CareOrder
        fields = ["status"]


class AssignmentFilterSet(django_filters.FilterSet):
    scheduled_after = DateFilter(
        field_name="scheduled_start", lookup_expr="date__gte", help_text="Starting on or after"
    )
    scheduled_before = DateFilter(
        field_name="scheduled_start", lookup_expr="date__lte", help_text="Starting on or before"
    )

    class Meta:
        model = CareOrder
        fields = ["status", "scheduled_after", "scheduled_before"]


class ProviderOrderFilterSet(AssignmentFilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    worker = django_filters.NumberFilter(field_name="worker_id", help_text="Care worker's user id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="Order number or elder's name contains")

    class Meta:
        model = CareOrder
        fields = ["status", "community", "worker", "scheduled_after", "scheduled_before", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(number__icontains=value) | queryset.filter(elder__display_name__icontains=value)


class SubsidyEntryFilterSet(django_filters.FilterSet):
    class Meta:
        model = SubsidyEntry
        fields = ["kind"]


class SubsidyAccountFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)

    class Meta:
        model = SubsidyAccount
        fields = ["community", "is_eligible"]


class VisitPlanFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    visitor = django_filters.NumberFilter(field_name="visitor_id", help_text="Visitor's user id", **ID_RANGE)

    class Meta:
        model = VisitPlan
        fields = ["community", "visitor", "weekday", "is_active"]


class VisitFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    date_from = DateFilter(field_name="date", lookup_expr="gte", help_text="On or after this date")
    date_to = DateFilter(field_name="date", lookup_expr="lte", help_text="On or before this date")

    class Meta:
        model = Visit
        fields = ["status", "community", "date_from", "date_to"]


class MyVisitFilterSet(django_filters.FilterSet):
    date_from = DateFilter(field_name="date", lookup_expr="gte", help_text="On or after this date")
    date_to = DateFilter(field_name="date", lookup_expr="lte", help_text="On or before this date")

    class Meta:
        model = Visit
        fields = ["status", "date_from", "date_to"]
