import django_filters
from django.db.models import Q

from linli.regions.models import Estate
from residents.models import Announcement, Verification, WorkOrder, WorkOrderCategory

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class EstateFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)

    class Meta:
        model = Estate
        fields = ["community"]


class VerificationFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="Name, phone or room number contains")

    class Meta:
        model = Verification
        fields = ["status", "community", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(real_name__icontains=value) | Q(phone__icontains=value) | Q(room__number__icontains=value)
        )


class MyWorkOrderFilterSet(django_filters.FilterSet):
    class Meta:
        model = WorkOrder
        fields = ["status", "kind"]


class WorkOrderFilterSet(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(queryset=WorkOrderCategory.objects.all(), help_text="Category id")
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    assignee = django_filters.NumberFilter(field_name="assignee_id", help_text="Handler's user id", **ID_RANGE)
    overdue = django_filters.BooleanFilter(field_name="is_overdue", help_text="Past its response or resolution SLA")
    search = django_filters.CharFilter(
        method="filter_search", help_text="Order number, description, location or resident's name"
    )

    class Meta:
        model = WorkOrder
        fields = ["status", "kind", "category", "channel", "community", "assignee", "overdue", "search"]

    def filter_search(self, queryset, name, value):
        q = (
            Q(description__icontains=value)
            | Q(location__icontains=value)
            | Q(reporter__display_name__icontains=value)
            | Q(room__number=value)
        )
        digits = value.lstrip("#")
        if digits.isdigit() and len(digits) < 15:
            q |= Q(pk=int(digits))
        return queryset.filter(q)


class AnnouncementFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)

    class Meta:
        model = Announcement
        fields = ["community", "pinned"]
