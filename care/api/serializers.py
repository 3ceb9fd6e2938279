from rest_framework import serializers

from care.models import (
    CareOrder,
    CareOrderHistory,
    CareService,
    SubsidyAccount,
    SubsidyEntry,
    Visit,
    VisitPlan,
)
from care.models.orders import CheckInMethod
from care.models.visits import Weekday
from linli.accounts.models import User
from linli.api.fields import DateTimeField
from linli.api.serializers import LatField, LngField, ModelSerializer, RefSerializer, UserRefSerializer
from linli.uploads.api.serializers import AttachedPhotosSerializer, UploadIdsField

MAX_PHOTOS = 9


class ProviderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()


class HomeSerializer(serializers.Serializer):
    """The elder's home: the room's full name and its estate."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    estate = RefSerializer(source="building.estate")


# --- catalogue ---------------------------------------------------------------------------------------


class CareServiceSerializer(ModelSerializer):
    provider = ProviderRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)

    class Meta:
        model = CareService
        fields = [
            "id",
            "kind",
            "name",
            "description",
            "price_fen",
            "duration_minutes",
            "subsidy_eligible",
            "provider",
            "community",
        ]
        read_only_fields = fields


# --- orders -------------------------------------------------------------------------------------------


class CareOrderStepSerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    from_status = serializers.ChoiceField(
        choices=CareOrder.Status.choices, allow_blank=True, read_only=True, help_text="Empty for the first step"
    )

    class Meta:
        model = CareOrderHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]
        read_only_fields = fields


class CareOrderSerializer(ModelSerializer):
    service = RefSerializer(read_only=True)
    service_kind = serializers.CharField(source="service.kind", read_only=True)
    provider = ProviderRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    home = HomeSerializer(source="room", read_only=True)
    elder = UserRefSerializer(read_only=True)
    placed_by = UserRefSerializer(read_only=True, allow_null=True)
    worker = UserRefSerializer(read_only=True, allow_null=True)
    payment = serializers.IntegerField(source="payment_intent_id", read_only=True, allow_null=True)

    class Meta:
        model = CareOrder
        fields = [
            "id",
            "number",
            "status",
            "service",
            "service_kind",
            "provider",
            "community",
            "home",
            "elder",
            "placed_by",
            "scheduled_start",
            "scheduled_end",
            "note",
            "price_fen",
            "subsidy_fen",
            "cash_fen",
            "refunded_subsidy_fen",
            "refunded_cash_fen",
            "payment",
            "worker",
            "dispatched_at",
            "checked_in_at",
            "checked_out_at",
            "rating",
            "created_at",
        ]
        read_only_fields = fields


class CareOrderDetailSerializer(CareOrderSerializer):
    check_in_method = serializers.ChoiceField(
        choices=CheckInMethod.choices, allow_blank=True, read_only=True, help_text="Empty until checked in"
    )
    photos = AttachedPhotosSerializer(source="photo_links")
    timeline = CareOrderStepSerializer(source="history", many=True, read_only=True)

    class Meta(CareOrderSerializer.Meta):
        fields = [
            *CareOrderSerializer.Meta.fields,
            "check_in_method",
            "check_in_distance_m",
            "service_note",
            "photos",
            "rating_comment",
            "cancel_reason",
            "cancelled_at",
            "timeline",
        ]
        read_only_fields = fields


class CareOrderInputSerializer(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=CareService.objects.select_related("provider"))
    scheduled_start = DateTimeField(help_text="When the service should start (the end follows from its duration)")
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class CareOrderRateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class CareOrderCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CareDispatchInputSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class CheckInInputSerializer(serializers.Serializer):
    """Either the position (near the elder's estate) or the door code scanned at the elder's door."""

    latitude = LatField(required=False, allow_null=True, default=None)
    longitude = LngField(required=False, allow_null=True, default=None)
    door_code = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CheckOutInputSerializer(serializers.Serializer):
    service_note = serializers.CharField(max_length=2000, help_text="What was done")
    photos = UploadIdsField(max_length=MAX_PHOTOS)


class ProviderWorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    display_name = serializers.CharField(source="user.__str__")
    position = serializers.CharField()
    provider = serializers.IntegerField(source="scope_id")


# --- subsidy -------------------------------------------------------------------------------------------


class SubsidyBalanceSerializer(serializers.Serializer):
    is_eligible = serializers.BooleanField()
    monthly_amount_fen = serializers.IntegerField()
    balance_fen = serializers.IntegerField()
    community = RefSerializer(allow_null=True)


class SubsidyEntrySerializer(ModelSerializer):
    order = serializers.CharField(source="order.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SubsidyEntry
        fields = ["id", "kind", "amount_fen", "balance_after_fen", "month", "expires_on", "order", "note", "created_at"]
        read_only_fields = fields


class SubsidyAccountSerializer(ModelSerializer):
    elder = UserRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    approved_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SubsidyAccount
        fields = [
            "id",
            "elder",
            "community",
            "is_eligible",
            "monthly_amount_fen",
            "balance_fen",
            "note",
            "approved_by",
            "updated_at",
        ]
        read_only_fields = fields


class SubsidyAccountInputSerializer(serializers.Serializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    community = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The elder's community id")
    is_eligible = serializers.BooleanField(default=True)
    monthly_amount_fen = serializers.IntegerField(min_value=0, max_value=10_000_00)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


# --- visits --------------------------------------------------------------------------------------------


class VisitPlanSerializer(ModelSerializer):
    elder = UserRefSerializer(read_only=True)
    visitor = UserRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    home = HomeSerializer(source="room", read_only=True)

    class Meta:
        model = VisitPlan
        fields = ["id", "elder", "visitor", "weekday", "community", "home", "note", "is_active", "created_at"]
        read_only_fields = fields


class VisitPlanInputSerializer(serializers.Serializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    visitor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class VisitSerializer(ModelSerializer):
    check_in_method = serializers.ChoiceField(
        choices=CheckInMethod.choices, allow_blank=True, read_only=True, help_text="Empty until checked in"
    )
    elder = UserRefSerializer(read_only=True)
    visitor = UserRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    home = HomeSerializer(source="room", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "date",
            "status",
            "elder",
            "visitor",
            "community",
            "home",
            "checked_in_at",
            "check_in_method",
            "checked_out_at",
            "notes",
            "escalated_at",
        ]
        read_only_fields = fields


class VisitCheckOutInputSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=2000, help_text="How the elder is, what was done")
