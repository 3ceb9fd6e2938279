"""What enforcement hears from devices: AI camera detections and IoT sensor readings.

Imported from EnforcementConfig.ready(), which registers the handlers with `linli.devices.registry`.
"""

from django.utils import timezone
from rest_framework import serializers

from enforcement.services import sensing
from linli.api.fields import DateTimeField
from linli.devices.registry import on_event


class CameraDetectionSchema(serializers.Serializer):
    """Payload of a `camera.detection` event."""

    detection = serializers.SlugField(
        max_length=40, help_text="What the model saw: illegal_fishing, illegal_construction, …"
    )
    confidence = serializers.FloatField(min_value=0, max_value=1)
    snapshot_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    detected_at = DateTimeField(required=False)


class SensorReadingSchema(serializers.Serializer):
    """Payload of a `sensor.reading` event."""

    metric = serializers.SlugField(max_length=40, help_text="e.g. cod_mg_l, ammonia_mg_l, pm25_ug_m3")
    value = serializers.FloatField(min_value=-1e9, max_value=1e9)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    measured_at = DateTimeField(required=False)


def _when(data: dict, key: str, event):
    return data.get(key) or getattr(event, "occurred_at", None) or timezone.now()


@on_event("camera.detection", kinds=["ai_camera"], schema=CameraDetectionSchema)
def camera_detection(device, event):
    schema = CameraDetectionSchema(data=event.payload)
    schema.is_valid(raise_exception=True)
    data = schema.validated_data
    return sensing.camera_detection(
        device=device,
        detection=data["detection"],
        confidence=data["confidence"],
        detected_at=_when(data, "detected_at", event),
        snapshot_url=data["snapshot_url"],
    )


@on_event("sensor.reading", kinds=["iot_sensor"], schema=SensorReadingSchema)
def sensor_reading(device, event):
    schema = SensorReadingSchema(data=event.payload)
    schema.is_valid(raise_exception=True)
    data = schema.validated_data
    return sensing.sensor_reading(
        device=device,
        metric=data["metric"],
        value=data["value"],
        measured_at=_when(data, "measured_at", event),
        unit=data["unit"],
    )
