"""ModelSerializers that introspect their model once per class, not once per request.

DRF builds a ModelSerializer's fields on every instantiation: it deep-copies the declared fields and,
for every model field listed in Meta.fields, reads the model's metadata and works out the field's
class and arguments again (`get_field_info`, `build_field`, `get_field_kwargs`). On the benchmark's
lists that is 3-10% of a request's Python work.

`PrebuiltFieldsMixin` keeps, per serializer class, the fields DRF built the first time, never bound
to any serializer, and gives each instance fresh copies: declared fields deep-copied as DRF does,
model fields instantiated again from the arguments DRF worked out (a new Field each time, so
nothing bound to one request — parent, context, field name — is shared with another thread). A
field holding another field (a ListField's child) is deep-copied. Subclasses that adjust
`get_fields()` per request keep doing so on the copies they get from super().

`FastRepresentationMixin` gives the same dicts as DRF's `to_representation` for less work per value
(see the class). The base `linli.api.serializers.ModelSerializer` has both; tests/api/test_prebuilt.py
holds them to DRF's answers.
"""

import copy
import inspect
import threading
from collections.abc import Mapping

from django.db.models.manager import BaseManager
from rest_framework.fields import Field, SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

_prototypes: dict[type, dict[str, Field]] = {}
_lock = threading.Lock()


def _fresh(field: Field, declared: bool) -> Field:
    if declared or field._args or any(isinstance(value, Field) for value in field._kwargs.values()):
        return copy.deepcopy(field)
    return field.__class__(**field._kwargs)


class PrebuiltFieldsMixin:
    """For ModelSerializer subclasses: the model introspection of `get_fields()` done once per class."""

    def get_fields(self):
        cls = type(self)
        prototypes = _prototypes.get(cls)
        if prototypes is None:
            built = super().get_fields()  # fresh and unbound: never handed out, only copied
            with _lock:
                prototypes = _prototypes.setdefault(cls, built)
        declared = self._declared_fields
        return {name: _fresh(field, name in declared) for name, field in prototypes.items()}


_SLOW = object()

# Per method (its function): whether DRF would call it for a value (`is_simple_callable`: no required
# argument). DRF asks `inspect.signature` again for every value of every row.
_simple_methods: dict[object, bool] = {}


def _call_if_simple(value):
    """What DRF's `get_attribute` makes of a method it reads: its result when it takes no argument;
    _SLOW (DRF's own path) for anything else."""
    if not inspect.ismethod(value):
        return _SLOW
    simple = _simple_methods.get(value.__func__)
    if simple is None:
        simple = _simple_methods[value.__func__] = is_simple_callable(value)
    return value() if simple else _SLOW


def _plain_source(field: Field) -> tuple[str, ...] | None:
    """The attribute chain a field reads, when DRF's generic `Field.get_attribute` would read it."""
    if type(field).get_attribute is not Field.get_attribute or not field.source_attrs:
        return None
    return tuple(field.source_attrs)


class FastRepresentationMixin:
    """`to_representation` for serializers of objects, with DRF's answers and less of its work per value.

    DRF's version walks the `_readable_fields` generator and calls `Field.get_attribute` (a generic
    walk with exception handling for dicts, callables and missing values) for every field of every
    row. Here the fields and their attribute chains are listed once per serializer instance (a list's
    child serializes every row of the page), plain attributes are read with getattr, methods that take
    no argument (`get_status_display`) are called after one signature check per method, and anything
    else — a dict, another callable, a missing value, an error, a field with its own `get_attribute` —
    goes DRF's way.
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = [
                (field.field_name, field, _plain_source(field), field.to_representation)
                for field in self._readable_fields
            ]
        fast = not isinstance(instance, Mapping)
        ret = {}
        for name, field, attrs, represent in plan:
            value = _SLOW
            if fast and attrs is not None:
                value = instance
                try:
                    for attr in attrs:
                        value = getattr(value, attr)
                        if callable(value) and not isinstance(value, BaseManager):
                            value = _call_if_simple(value)  # e.g. get_status_display
                            if value is _SLOW:
                                break
                except Exception:  # DRF decides: None, the default, skip, or the error
                    value = _SLOW
            if value is _SLOW:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if (value.pk if isinstance(value, PKOnlyObject) else value) is None:
                    ret[name] = None
                    continue
            elif value is None:
                ret[name] = None
                continue
            ret[name] = represent(value)
        return ret
