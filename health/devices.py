"""What health hears from devices: kiosk measurements, posted as `kiosk.measurement` events, and the
drug vending machine's acks of `dispense` commands (done → dispensed; failed / expired → refunded).

Imported from HealthConfig.ready(), which registers the handlers with `linli.devices.registry`.
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from health import ranges
from health.services.dispensing import dispense_acknowledged
from health.services.vitals import vitals_record
from linli.api.fields import DateTimeField
from linli.devices.registry import on_command_ack, on_event

ECG_RHYTHMS = [
    ("sinus", "窦性心律"),
    ("sinus_tachycardia", "窦性心动过速"),
    ("sinus_bradycardia", "窦性心动过缓"),
    ("atrial_fibrillation", "心房颤动"),
    ("premature_beats", "早搏"),
    ("other", "其他"),
]


def _limits(name):
    limit = ranges.LIMITS[name]
    return {"min_value": limit.low, "max_value": limit.high}


def _int_limits(name):
    limit = ranges.LIMITS[name]
    return {"min_value": int(limit.low), "max_value": int(limit.high)}


class EcgSchema(serializers.Serializer):
    rhythm = serializers.ChoiceField(choices=ECG_RHYTHMS)
    heart_rate_bpm = serializers.IntegerField(required=False, **_int_limits("heart_rate_bpm"))
    summary = serializers.CharField(required=False, allow_blank=True, max_length=200)


class KioskMeasurementSchema(serializers.Serializer):
    """Payload of a `kiosk.measurement` event. Values outside physiological limits reject the whole event."""

    session_token = serializers.CharField(max_length=64)
    measured_at = DateTimeField(required=False)
    temperature_c = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, **_limits("temperature_c"))
    systolic_mmhg = serializers.IntegerField(required=False, **_int_limits("systolic_mmhg"))
    diastolic_mmhg = serializers.IntegerField(required=False, **_int_limits("diastolic_mmhg"))
    heart_rate_bpm = serializers.IntegerField(required=False, **_int_limits("heart_rate_bpm"))
    glucose_mmol_l = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, **_limits("glucose_mmol_l")
    )
    glucose_context = serializers.ChoiceField(choices=[("fasting", "空腹"), ("random", "随机")], required=False)
    ecg = EcgSchema(required=False)

    def validate(self, attrs):
        systolic, diastolic = attrs.get("systolic_mmhg"), attrs.get("diastolic_mmhg")
        if (systolic is None) != (diastolic is None):
            raise serializers.ValidationError({"diastolic_mmhg": ["收缩压与舒张压须同时上报"]})
        if systolic is not None and systolic <= diastolic:
            raise serializers.ValidationError({"systolic_mmhg": ["收缩压应高于舒张压"]})
        if attrs.get("glucose_mmol_l") is not None and not attrs.get("glucose_context"):
            raise serializers.ValidationError({"glucose_context": ["请注明空腹或随机血糖"]})
        measured = ("temperature_c", "systolic_mmhg", "heart_rate_bpm", "glucose_mmol_l", "ecg")
        if not any(attrs.get(name) is not None for name in measured):
            raise serializers.ValidationError("至少包含一项测量值")
        measured_at = attrs.get("measured_at")
        if measured_at is not None and measured_at > timezone.now() + timedelta(minutes=5):
            raise serializers.ValidationError({"measured_at": ["测量时间不能晚于当前时间"]})
        return attrs


@on_event("kiosk.measurement", kinds=["health_kiosk"], schema=KioskMeasurementSchema)
def kiosk_measurement(device, event):
    """Store the readings of a kiosk event (inside the events endpoint's transaction)."""
    schema = KioskMeasurementSchema(data=event.payload)
    schema.is_valid(raise_exception=True)
    data = schema.validated_data
    vitals_record(device=device, data=data, measured_at=data.get("measured_at") or event.occurred_at)


@on_command_ack("dispense")
def drug_dispensed(command):
    """The drug vending machine answered a `dispense` command (inside the ack / expiry transaction)."""
    dispense_acknowledged(command)
