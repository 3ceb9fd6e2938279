import django_filters

from linli.points.models import ManualAdjustment, Redemption, RedemptionItem, RedemptionKind

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class RedemptionItemFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    kind = django_filters.ChoiceFilter(choices=RedemptionKind.choices)

    class Meta:
        model = RedemptionItem
        fields = ["community", "kind"]


class RedemptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Redemption.Status.choices)
    item = django_filters.NumberFilter(field_name="item_id", help_text="Catalogue item id", **ID_RANGE)
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)

    class Meta:
        model = Redemption
        fields = ["status", "item", "community"]


class AdjustmentFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", help_text="Community id", **ID_RANGE)
    user = django_filters.NumberFilter(field_name="user_id", help_text="Resident id", **ID_RANGE)

    class Meta:
        model = ManualAdjustment
        fields = ["community", "user"]
