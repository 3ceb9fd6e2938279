"""Serializer fields shared by every app.

`MaskedPhoneField` / `MaskedIdNumberField` show a personal identifier masked (138****5678) unless
the viewer needs it. Staff lists use them for residents' phone numbers:

    class WorkOrderStaffSerializer(serializers.ModelSerializer):
        reporter_phone = MaskedPhoneField(source="reporter.phone")

The value is shown in full when

* the viewer is the person the value belongs to (the serialized object is the request's user,
  or has a `user` / `owner` pointing at them), or
* the serializer context says so: `context={"reveal_sensitive": True}` (e.g. the handler of a
  work order who has to call the resident back), or
* a `reveal=` callable given to the field answers True for (request, instance).
"""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.lib.masking import mask_id_number, mask_phone

RevealRule = Callable[[object, object], bool]


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
