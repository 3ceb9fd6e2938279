from rest_framework import serializers

from linli.api.serializers import ModelSerializer, UserRefSerializer
from property.api.serializers.bills import RoomRefSerializer
from property.filters import MonthField
from property.models import ParkingPermit, Vehicle


class PermitSerializer(ModelSerializer):
    bill = serializers.IntegerField(source="bill_id", read_only=True)
    bill_status = serializers.CharField(source="bill.status", read_only=True)
    amount_fen = serializers.IntegerField(source="bill.amount_fen", read_only=True)

    class Meta:
        model = ParkingPermit
        fields = ["id", "plate", "valid_from", "valid_until", "status", "bill", "bill_status", "amount_fen"]
        read_only_fields = fields


class VehicleSerializer(ModelSerializer):
    room = RoomRefSerializer(read_only=True)
    permits = PermitSerializer(many=True, read_only=True)

    class Meta:
        model = Vehicle
        fields = ["id", "plate", "description", "room", "status", "created_at", "permits"]
        read_only_fields = fields


class StaffVehicleSerializer(VehicleSerializer):
    registered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(VehicleSerializer.Meta):
        fields = [*VehicleSerializer.Meta.fields, "registered_by"]
        read_only_fields = fields


class VehicleInputSerializer(serializers.Serializer):
    room = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="One of my households (room id)")
    plate = serializers.CharField(max_length=20, help_text="如 浙H12345（空格、点会被去掉，字母转大写）")
    description = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)


class PermitInputSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Month, YYYY-MM")

    def validate_period(self, value):
        from django import forms

        try:
            return MonthField().clean(value)
        except forms.ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class VehicleReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
