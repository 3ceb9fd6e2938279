from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateField, DateTimeField
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from property import receipts
from property.filters import MonthField
from property.models import Bill, BillHistory, Receipt

OFFLINE_METHODS = [(m.value, m.label) for m in (Receipt.Method.CASH, Receipt.Method.TRANSFER)]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthOutField(DateField):
    """A month shown as YYYY-MM (a bill's period is the first day of its month)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class RoomRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__", help_text="春江月小区 3幢2单元 502室")
    building_id = serializers.IntegerField()


class FeeItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class BillSerializer(ModelSerializer):
    room = RoomRefSerializer(read_only=True)
    item = FeeItemRefSerializer(read_only=True)
    estate = serializers.IntegerField(source="estate_id", read_only=True)
    plate = serializers.SerializerMethodField(help_text="Parking bills: the vehicle's plate")
    period = serializers.SerializerMethodField(help_text="Month, YYYY-MM")
    overdue = serializers.SerializerMethodField()
    receipt = serializers.IntegerField(source="receipt_id", read_only=True, allow_null=True)
    # ModelSerializer drops allow_blank on read-only choices: "" (not paid yet) must be in the schema.
    method = serializers.ChoiceField(
        choices=Bill._meta.get_field("method").choices, allow_blank=True, read_only=True, help_text="Empty until paid"
    )

    class Meta:
        model = Bill
        fields = [
            "id",
            "title",
            "room",
            "estate",
            "item",
            "plate",
            "period",
            "area_m2",
            "rate_fen",
            "original_fen",
            "amount_fen",
            "refunded_fen",
            "status",
            "due_date",
            "overdue",
            "method",
            "paid_at",
            "receipt",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_plate(self, bill) -> str | None:
        return bill.vehicle.plate if bill.vehicle_id else None

    def get_period(self, bill) -> str:
        return f"{bill.period:%Y-%m}"

    def get_overdue(self, bill) -> bool:
        from django.utils import timezone

        return bill.status == Bill.Status.UNPAID and bill.due_date < timezone.localdate()


class BillHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BillHistory
        fields = [
            "action",
            "from_status",
            "to_status",
            "actor",
            "note",
            "amount_before_fen",
            "amount_after_fen",
            "created_at",
        ]
        read_only_fields = fields


class BillDetailSerializer(BillSerializer):
    history = BillHistorySerializer(many=True, read_only=True)

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ReceiptBillSerializer(ModelSerializer):
    room = serializers.CharField(source="room.__str__", read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "title", "room", "amount_fen", "refunded_fen", "status"]
        read_only_fields = fields


class ReceiptSerializer(ModelSerializer):
    community = RefSerializer(read_only=True)
    bills = ReceiptBillSerializer(many=True, read_only=True)
    print_url = serializers.SerializerMethodField(
        help_text=f"The printable receipt (HTML), a signed link valid for {receipts.LINK_HOURS} hours"
    )

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "community",
            "payer_name",
            "method",
            "amount_fen",
            "note",
            "created_at",
            "bills",
            "print_url",
        ]
        read_only_fields = fields

    def get_print_url(self, receipt) -> str:
        return receipts.print_url(receipt, self.context.get("request"))


class PaymentInputSerializer(serializers.Serializer):
    bills = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=36,
        help_text="Ids of unpaid bills of my households (one community)",
    )


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The payment intent's id (GET /payments/intents/{id}/)")
    out_trade_no = serializers.CharField()
    amount_fen = serializers.IntegerField()
    status = serializers.CharField()
    expires_at = DateTimeField(allow_null=True)
    bills = serializers.ListField(child=serializers.IntegerField(), help_text="The bills it pays, one part each")
    client_params = serializers.DictField(help_text="Parameters for wx.requestPayment")


class OfflinePaymentInputSerializer(serializers.Serializer):
    bills = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=36
    )
    method = serializers.ChoiceField(choices=OFFLINE_METHODS)
    payer_name = serializers.CharField(max_length=50)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class BillReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BillAdjustInputSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1, max_value=10**9)
    reason = serializers.CharField(max_length=200)


class BillRefundInputSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1, max_value=10**9)
    reason = serializers.CharField(max_length=80)


class BillRunInputSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Month, YYYY-MM")
    estate = serializers.IntegerField(min_value=1, max_value=2**63 - 1)

    def validate_period(self, value):
        from django import forms

        try:
            return MonthField().clean(value)
        except forms.ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class BillRunSerializer(serializers.Serializer):
    period = DateField()
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.CharField())


class ArrearsBuildingSerializer(serializers.Serializer):
    building = serializers.IntegerField(source="building.pk")
    name = serializers.CharField(source="building.__str__")
    bill_count = serializers.IntegerField()
    room_count = serializers.IntegerField()
    amount_fen = serializers.IntegerField()


class CollectionStatsQuerySerializer(serializers.Serializer):
    period_from = serializers.CharField(required=False, help_text="From month, YYYY-MM (default: 5 months ago)")
    period_to = serializers.CharField(required=False, help_text="To month, YYYY-MM (default: this month)")
    estate = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def _month(self, value):
        from django import forms

        try:
            return MonthField().clean(value)
        except forms.ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    validate_period_from = _month
    validate_period_to = _month


class CollectionStatsRowSerializer(serializers.Serializer):
    estate = serializers.IntegerField(source="estate_id")
    estate_name = serializers.CharField(source="estate__name")
    period = MonthOutField()
    bill_count = serializers.IntegerField()
    billed_fen = serializers.IntegerField()
    collected_fen = serializers.IntegerField()
    arrears_fen = serializers.IntegerField()
    waived_fen = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="collected / billed, 4 decimals; null without bills")


class CollectionStatsTotalsSerializer(serializers.Serializer):
    bill_count = serializers.IntegerField()
    billed_fen = serializers.IntegerField()
    collected_fen = serializers.IntegerField()
    arrears_fen = serializers.IntegerField()
    waived_fen = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class CollectionStatsSerializer(serializers.Serializer):
    period_from = MonthOutField()
    period_to = MonthOutField()
    rows = CollectionStatsRowSerializer(many=True)
    totals = CollectionStatsTotalsSerializer()


class ArrearsQuerySerializer(serializers.Serializer):
    estate = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
