"""FilterSets of the votes and surveys lists."""

import django_filters

from participation.filters import ID_RANGE
from participation.models import Vote

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
