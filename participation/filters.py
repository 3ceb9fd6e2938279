"""FilterSets of the participation app's lists, by subject."""

import django_filters

from participation.models import Vote

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


# --- votes ------------------------------------------------------------------------------------------


class VoteFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Vote.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Vote.Kind.choices)
    answered = django_filters.BooleanFilter(help_text="Only votes I (my household) answered, or did not")

    class Meta:
        model = Vote
        fields = ["status", "kind", "answered"]


class StaffVoteFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Vote.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Vote.Kind.choices)
    community = django_filters.NumberFilter(field_name="community_id", **ID_RANGE)
    estate = django_filters.NumberFilter(field_name="estate_id", **ID_RANGE)
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=50)

    class Meta:
        model = Vote
        fields = ["status", "kind", "community", "estate", "search"]
