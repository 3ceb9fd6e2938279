"""Serializer fields shared by every app.

`DateTimeField` and `DateField` are DRF's, bounded to 1900-01-01 … 2100-12-31: every serializer uses them
(the base `linli.api.serializers.ModelSerializer` maps model fields to them; tests/quality/test_date_bounds.py
fails for any other). Python parses 0001-01-01 and 9999-12-31, but time zone arithmetic, `+ 1 day` and
PostgreSQL do not take them: outside the range the answer is a 400 on the field instead of a 500.

`MaskedPhoneField` / `MaskedIdNumberField` show a personal identifier masked (138****5678) unless
the viewer needs it. Staff lists use them for residents' phone numbers:

    class WorkOrderStaffSerializer(ModelSerializer):
        reporter_phone = MaskedPhoneField(source="reporter.phone")

The value is shown in full when

* the viewer is the person the value belongs to (the serialized object is the request's user,
  or has a `user` / `owner` pointing at them), or
* the serializer context says so: `context={"reveal_sensitive": True}` (e.g. the handler of a
  work order who has to call the resident back), or
* a `reveal=` callable given to the field answers True for (request, instance).
"""

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from linli.lib.masking import mask_id_number, mask_phone

RevealRule = Callable[[object, object], bool]

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)
OUT_OF_RANGE = f"日期须在 {EARLIEST_DATE.year} 至 {LATEST_DATE.year} 年之间"


def in_date_range(value: date | datetime) -> bool:
    """Whether a date, or a date-time's own calendar date, lies in 1900-01-01 … 2100-12-31."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, refusing moments outside 1900–2100 (see the module doc)."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE, "overflow": OUT_OF_RANGE}

    def to_representation(self, value):
        # The common case without DRF's per-value lookups: an aware moment, ISO 8601, in the default
        # time zone. DRF asks for the *current* zone each time (a context-local read); the API never
        # activates another one, so it is always settings.TIME_ZONE (Asia/Shanghai).
        if (
            type(value) is datetime
            and value.tzinfo is not None
            and not hasattr(self, "format")
            and not hasattr(self, "timezone")
            and _iso_output()
        ):
            try:
                text = value.astimezone(timezone.get_default_timezone()).isoformat()
            except OverflowError:
                return super().to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().to_representation(value)

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)  # in the current time zone
        except OverflowError:  # DRF's own time zone check, on year 1 or 9999
            self.fail("out_of_range")
        if not in_date_range(moment):
            self.fail("out_of_range")
        return moment


def _iso_output() -> bool:
    output_format = api_settings.DATETIME_FORMAT
    return output_format is not None and output_format.lower() == ISO_8601 and settings.USE_TZ


class DateField(serializers.DateField):
    """DRF's DateField, refusing dates outside 1900–2100 (see the module doc)."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not in_date_range(day):
            self.fail("out_of_range")
        return day


def viewer_is_subject(request, instance) -> bool:
    """True when the object is the requesting user, or belongs to them through `user` / `owner`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if isinstance(instance, type(user)) and instance.pk == user.pk:
        return True
    return any(getattr(instance, attr, None) == user.pk for attr in ("user_id", "owner_id"))


@extend_schema_field({"type": "string", "nullable": True, "description": "Masked (138****5678) unless yours"})
class MaskedField(serializers.Field):
    """Read-only string shown masked unless the viewer may see it in full (see the module doc)."""

    mask = staticmethod(mask_phone)

    def __init__(self, *, reveal: RevealRule | None = None, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        self.reveal = reveal
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # Keep the instance: whether to reveal depends on whose value this is.
        return (instance, super().get_attribute(instance))

    def to_representation(self, pair):
        instance, value = pair
        if value in (None, ""):
            return value
        value = str(value)
        return value if self.may_reveal(instance) else self.mask(value)

    def may_reveal(self, instance) -> bool:
        if self.context.get("reveal_sensitive"):
            return True
        request = self.context.get("request")
        if request is None:
            return False
        if self.reveal is not None:
            return bool(self.reveal(request, instance))
        return viewer_is_subject(request, instance)


class MaskedPhoneField(MaskedField):
    mask = staticmethod(mask_phone)


class MaskedIdNumberField(MaskedField):
    mask = staticmethod(mask_id_number)


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}], "description": "URL or empty"}
)
class BlankableURLField(serializers.URLField):
    """A URL that may also be the empty string ("no avatar"); documented as such in the schema."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
