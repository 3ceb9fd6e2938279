"""Serializer pieces every app shares: the base ModelSerializer, references to related objects, coordinates,
phone numbers and wall-clock times. Import them from here; an app keeps only what is its own. Photos are
linli.uploads' (`UploadIdsField` in, `PhotoSerializer` / `AttachedPhotosSerializer` out)."""

import re

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateField, DateTimeField
from linli.api.prebuilt import FastRepresentationMixin, PrebuiltFieldsMixin

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class ModelSerializer(PrebuiltFieldsMixin, FastRepresentationMixin, serializers.ModelSerializer):
    """The base of every model serializer: model dates and date-times become the bounded fields of linli.api.fields;
    the model is introspected once per class, and objects become dicts with less of DRF's work per value
    (linli.api.prebuilt)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
        models.DateField: DateField,
    }


def validate_phone(value: str) -> str:
    """A mainland mobile number (or blank where the field allows it)."""
    if value and not PHONE_RE.match(value):
        raise serializers.ValidationError("请输入 11 位中国大陆手机号")
    return value


class RefSerializer(FastRepresentationMixin, serializers.Serializer):
    """{id, name} of a related object."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class UserRefSerializer(FastRepresentationMixin, serializers.Serializer):
    # {id, display_name} of a user

    id = serializers.IntegerField()
    display_name = serializers.CharField(source="__str__")


class LatField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, min_value=-90, max_value=90, **kwargs)


class LngField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, min_value=-180, max_value=180, **kwargs)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "08:30", "description": "Local time, HH:MM"}
)
class ClockTimeField(serializers.TimeField):
    """A wall-clock time of day in Asia/Shanghai ("08:30"). OpenAPI's `format: time` would demand an offset."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)
