from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from linli.api.fields import DateTimeField
from linli.api.serializers import ModelSerializer, UserRefSerializer
from linli.points.models import (
    EarningRuleKey,
    ManualAdjustment,
    PointsEntry,
    Redemption,
    RedemptionItem,
    RedemptionKind,
)


class PointsEntrySerializer(ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "amount", "balance_after", "reason", "created_at"]
        read_only_fields = fields


class PointsLedgerSerializer(serializers.Serializer):
    """The paginated envelope of GET /points/ plus the current balance."""

    balance = serializers.IntegerField(help_text="Current balance (邻礼积分)")
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PointsEntrySerializer(many=True)


# --- the redemption catalogue -------------------------------------------------------------------


class RedemptionItemSerializer(ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    merchant_name = serializers.SerializerMethodField(help_text="The merchant that accepts a voucher")

    class Meta:
        model = RedemptionItem
        fields = [
            "id",
            "community",
            "community_name",
            "name",
            "kind",
            "description",
            "points_price",
            "stock",
            "per_person_limit",
            "available_from",
            "available_until",
            "merchant_name",
        ]
        read_only_fields = fields

    def get_merchant_name(self, item) -> str | None:
        return str(item.merchant) if item.merchant_id is not None and item.merchant is not None else None


class StaffRedemptionItemSerializer(RedemptionItemSerializer):
    class Meta(RedemptionItemSerializer.Meta):
        fields = [*RedemptionItemSerializer.Meta.fields, "active", "merchant_type", "merchant_id", "created_at"]
        read_only_fields = fields

    merchant_type = serializers.SerializerMethodField(help_text="app_label.model of the accepting merchant")

    def get_merchant_type(self, item) -> str | None:
        if item.merchant_type_id is None:
            return None
        content_type = ContentType.objects.get_for_id(item.merchant_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class RedemptionItemInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="One of my communities")
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=RedemptionKind.choices, default=RedemptionKind.GOODS)
    description = serializers.CharField(max_length=500, allow_blank=True, default="")
    points_price = serializers.IntegerField(min_value=1, max_value=1_000_000)
    stock = serializers.IntegerField(min_value=0, max_value=1_000_000)
    per_person_limit = serializers.IntegerField(min_value=1, max_value=1000, allow_null=True, default=None)
    available_from = DateTimeField(allow_null=True, default=None)
    available_until = DateTimeField(allow_null=True, default=None)
    active = serializers.BooleanField(default=True)
    merchant_type = serializers.RegexField(
        r"^[a-z_]+\.[a-z_]+$", max_length=100, allow_null=True, default=None, help_text="e.g. merchants.merchant"
    )
    merchant_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, allow_null=True, default=None)

    def validate(self, data):
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            raise serializers.ValidationError({"available_until": ["截止时间须晚于开始时间"]})
        return data


class RedemptionItemUpdateSerializer(RedemptionItemInputSerializer):
    community = None  # an item stays in its community


class RedemptionSerializer(ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Redemption
        fields = [
            "id",
            "item",
            "item_name",
            "kind",
            "community",
            "community_name",
            "points",
            "code",
            "status",
            "created_at",
            "verified_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class StaffRedemptionSerializer(RedemptionSerializer):
    user = UserRefSerializer(read_only=True)
    verified_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(RedemptionSerializer.Meta):
        fields = [*RedemptionSerializer.Meta.fields, "user", "verified_by"]
        read_only_fields = fields


class MerchantRedemptionSerializer(RedemptionSerializer):
    """What a merchant sees of a voucher: no resident's name."""


class CodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The redemption code the resident shows")


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")


class AdjustmentInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    user = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A resident of that community")
    amount = serializers.IntegerField(
        min_value=-100_000, max_value=100_000, help_text="> 0 awards, < 0 deducts (never 0)"
    )
    reason = serializers.CharField(max_length=200)


class AdjustmentSerializer(ModelSerializer):
    staff = UserRefSerializer(read_only=True)
    user = UserRefSerializer(read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    balance_after = serializers.IntegerField(source="entry.balance_after", read_only=True)

    class Meta:
        model = ManualAdjustment
        fields = [
            "id",
            "community",
            "community_name",
            "staff",
            "user",
            "amount",
            "reason",
            "balance_after",
            "created_at",
        ]
        read_only_fields = fields


# --- the monthly statement ----------------------------------------------------------------------


class StatementQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM; this month by default"
    )


class EarnedByRuleSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=EarningRuleKey.choices)
    label = serializers.CharField()
    points = serializers.IntegerField()


class StatementSerializer(serializers.Serializer):
    month = serializers.CharField()
    opening_balance = serializers.IntegerField()
    earned = serializers.IntegerField(help_text="All points received in the month")
    earned_by_rule = EarnedByRuleSerializer(many=True, help_text="Of which through earning rules")
    earned_otherwise = serializers.IntegerField(help_text="Event awards, refunds, staff awards")
    spent = serializers.IntegerField()
    closing_balance = serializers.IntegerField()
    entries = PointsEntrySerializer(many=True)
    print_url = serializers.URLField(help_text="A printable HTML page of this statement, valid for 24 hours")
