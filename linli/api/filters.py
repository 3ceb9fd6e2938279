"""Filters every app's FilterSets share, and the filter backend of every view."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment between 1900 and 2100, handed on in UTC.

    Anything Python can parse is not something the database accepts: PostgreSQL refuses offsets
    beyond ±15:59 and years out of its range with an error, which would be a 500. Outside the
    range the answer is a 400 on the parameter instead.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            moment = None
        if moment is None or not 1900 <= moment.year <= 2100:
            raise forms.ValidationError("时间超出范围（1900–2100 年）")
        return moment


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class ListFilterBackend(DjangoFilterBackend):
    """django-filter for lists only: other actions (retrieve, POST …/{id}/accept/) are neither filtered
    nor documented with filter parameters, so no action needs `filterset_class = None`.

    A list-shaped action filters when it says so: `@action(detail=True, filterset_class=ReadingFilterSet)`.
    Plain generic views (a `ListAPIView`) have no action and filter as the list they are.
    """

    def get_filterset_class(self, view, queryset=None):
        if not filters_list(view):
            return None
        return super().get_filterset_class(view, queryset)


def filters_list(view) -> bool:
    """Whether `view` (as it runs, or as the schema generator builds it) answers a filterable list."""
    if getattr(view, "action_map", None) is None:  # not a viewset
        return True
    action = getattr(view, "action", None)
    if action == "list":
        return True
    handler = getattr(view, action, None) if action else None
    return getattr(handler, "kwargs", {}).get("filterset_class") is not None
