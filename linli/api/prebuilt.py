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
"""

import copy
import threading

from rest_framework.fields import Field

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
