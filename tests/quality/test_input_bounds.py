"""Gate: every input the live API reads is bounded, so a new app cannot forget it.

* every date and date-time serializer field (request and response serializers, query-parameter serializers,
  nested ones, and the payload schemas of device events) is `linli.api.fields.DateField` / `DateTimeField`,
  which refuse dates outside 1900–2100 with a 400 (else 0001-01-01 or 9999-12-31 were 500s);
* every date and date-time filter of a FilterSet reads its value with `linli.api.filters.DayField` /
  `MomentField` (`DateFilter`, `MomentFilter`), bounded the same way;
* every JSON parser of a view is `linli.api.parsers.JSONParser` (size and depth limits).

The fields are those drf-spectacular maps while it generates the schema of every operation; the views and
their FilterSets are the ones it documents.
"""

import functools
from dataclasses import dataclass, field
from unittest import mock

from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from rest_framework import parsers, serializers

from linli.api import fields as bounded
from linli.api.filters import DayField, MomentField
from linli.api.parsers import JSONParser
from linli.devices import registry as device_registry

DATE_FIELDS = (serializers.DateField, serializers.DateTimeField)
BOUNDED_FIELDS = (bounded.DateField, bounded.DateTimeField)
DATE_FORM_FIELDS = (forms.DateField, forms.DateTimeField)
BOUNDED_FORM_FIELDS = (DayField, MomentField)


@dataclass
class Inputs:
    fields: list[tuple[str, serializers.Field]] = field(default_factory=list)  # (where, field)
    filtersets: dict[type, str] = field(default_factory=dict)  # FilterSet → where
    parsers: dict[type, str] = field(default_factory=dict)  # parser class → where


def collect(patterns=None) -> Inputs:
    """What the schema generator sees of `patterns` (default: the whole URLconf)."""
    inputs = Inputs()
    map_field, get_operation = AutoSchema._map_serializer_field, AutoSchema.get_operation

    def record_field(schema, serializer_field, direction, *args, **kwargs):
        inputs.fields.append((f"{schema.method} {schema.path}", serializer_field))
        return map_field(schema, serializer_field, direction, *args, **kwargs)

    def record_view(schema, path, path_regex, path_prefix, method, registry):
        where = f"{method} {path}"
        for filterset in filtersets_of(schema.view):
            inputs.filtersets.setdefault(filterset, where)
        for parser in schema.view.parser_classes:
            inputs.parsers.setdefault(parser, where)
        return get_operation(schema, path, path_regex, path_prefix, method, registry)

    with (
        mock.patch.object(AutoSchema, "_map_serializer_field", record_field),
        mock.patch.object(AutoSchema, "get_operation", record_view),
    ):
        SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    return inputs


@functools.cache
def live_inputs() -> Inputs:
    inputs = collect()
    for event_type, handler in sorted(device_registry._event_handlers.items()):
        if handler.schema is not None:
            inputs.fields += [(f"device event {event_type}", f) for f in walk(handler.schema())]
    return inputs


def filtersets_of(view) -> list[type]:
    found = [getattr(view, "filterset_class", None)]
    if getattr(view, "filterset_fields", None):
        # django-filter builds a FilterSet from the model's fields: the defaults, unbounded for dates.
        found.append(DjangoFilterBackend().get_filterset_class(view, getattr(view, "queryset", None)))
    return [filterset for filterset in found if filterset is not None]


def walk(serializer) -> list[serializers.Field]:
    """Every field of a serializer, nested serializers and list/dict children included."""
    out, todo = [], list(serializer.fields.values())
    while todo:
        item = todo.pop()
        out.append(item)
        if isinstance(item, serializers.ListSerializer | serializers.ListField | serializers.DictField):
            todo.append(item.child)
        elif isinstance(item, serializers.BaseSerializer):
            todo += item.fields.values()
    return out


def describe(serializer_field) -> str:
    names, node = [], serializer_field
    while getattr(node, "parent", None) is not None:
        names.append(node.field_name or "*")  # "*": the child of a list
        node = node.parent
    return ".".join([type(node).__name__, *reversed(names)])


def unbounded_fields(inputs: Inputs) -> list[str]:
    found: dict[str, str] = {}  # each field once, with the first operation that reads or writes it
    for where, f in inputs.fields:
        if isinstance(f, DATE_FIELDS) and not isinstance(f, BOUNDED_FIELDS):
            found.setdefault(f"{describe(f)} is {type(f).__module__}.{type(f).__name__}", where)
    return sorted(f"{where}: {what}" for what, where in found.items())


def unbounded_filters(inputs: Inputs) -> list[str]:
    out = set()
    for filterset, where in inputs.filtersets.items():
        for name, one in filterset.base_filters.items():
            for form_field in _form_fields(one.field_class):
                if issubclass(form_field, DATE_FORM_FIELDS) and not issubclass(form_field, BOUNDED_FORM_FIELDS):
                    out.add(f"{where}: {filterset.__name__}.{name} reads {form_field.__name__}")
    return sorted(out)


def _form_fields(field_class) -> list[type]:
    # Range filters (DateFromToRangeFilter, …) read two dates through a MultiValueField.
    if issubclass(field_class, forms.MultiValueField):
        return [type(sub) for sub in field_class().fields]
    return [field_class]


def unbounded_parsers(inputs: Inputs) -> list[str]:
    return sorted(
        f"{where}: {parser.__module__}.{parser.__name__}"
        for parser, where in inputs.parsers.items()
        if issubclass(parser, parsers.JSONParser) and not issubclass(parser, JSONParser)
    )


def test_every_date_field_of_the_api_is_bounded():
    inputs = live_inputs()
    assert sum(isinstance(f, BOUNDED_FIELDS) for _, f in inputs.fields) > 100  # the walk sees the API
    unbounded = unbounded_fields(inputs)
    assert not unbounded, "use linli.api.fields' DateField / DateTimeField, ModelSerializer:\n" + "\n".join(unbounded)


def test_every_date_filter_of_the_api_is_bounded():
    inputs = live_inputs()
    assert len(inputs.filtersets) > 30
    unbounded = unbounded_filters(inputs)
    assert not unbounded, "use linli.api.filters.DateFilter / MomentFilter:\n" + "\n".join(unbounded)


def test_every_json_parser_of_the_api_has_the_platform_limits():
    inputs = live_inputs()
    assert JSONParser in inputs.parsers
    unbounded = unbounded_parsers(inputs)
    assert not unbounded, "use linli.api.parsers.JSONParser:\n" + "\n".join(unbounded)
