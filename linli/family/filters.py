import django_filters
from django.db.models import Q

from linli.family.models import FamilyAct, FamilyBinding, ManagedElder

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class BindingFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FamilyBinding.Status.choices, help_text="Repeat for several")
    side = django_filters.ChoiceFilter(
        choices=FamilyBinding.Side.choices,
        method="filter_side",
        help_text="principal: bindings where I am the elder; member: where I act for someone",
    )
    waiting_for_me = django_filters.BooleanFilter(
        method="filter_waiting", help_text="true: pending requests I (or the elder I guard) should answer"
    )

    class Meta:
        model = FamilyBinding
        fields = ["status", "side", "waiting_for_me"]

    def filter_side(self, queryset, name, value):
        user = self.request.user
        return (
            queryset.filter(principal=user) if value == FamilyBinding.Side.PRINCIPAL else queryset.filter(member=user)
        )

    def filter_waiting(self, queryset, name, value):
        waiting = Q(status=FamilyBinding.Status.PENDING) & ~Q(requested_by=self.request.user)
        waiting &= Q(principal__isnull=True) | Q(member__isnull=True)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


class ActFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=[("actor", "我代办的"), ("beneficiary", "为我代办的")],
        method="filter_role",
        help_text="actor: what I did for others; beneficiary: what family did for me",
    )
    kind = django_filters.CharFilter(method="filter_kind", help_text="A kind or its app prefix, e.g. health")
    beneficiary = django_filters.NumberFilter(field_name="beneficiary_id", help_text="Acts for this user", **ID_RANGE)

    class Meta:
        model = FamilyAct
        fields = ["role", "kind", "beneficiary"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(**{value: self.request.user})

    def filter_kind(self, queryset, name, value):
        return queryset.filter(Q(kind=value) | Q(kind__startswith=f"{value}."))


class ManagedElderFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    search = django_filters.CharFilter(field_name="user__display_name", lookup_expr="icontains", help_text="Name")

    class Meta:
        model = ManagedElder
        fields = ["community", "search"]
