"""Filters every app's FilterSets share, and the filter backend of every view."""

from datetime import UTC

import django_filters
from django import forms
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from linli.api.fields import OUT_OF_RANGE, in_date_range


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment whose date in Asia/Shanghai lies in 1900–2100, handed on in UTC.

    Anything Python can parse is not something the database accepts: PostgreSQL refuses offsets
    beyond ±15:59 and years out of its range with an error, which would be a 500. Outside the
    range the answer is a 400 on the parameter instead.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            local, moment = timezone.localtime(moment), moment.astimezone(UTC)
        except OverflowError:
            local = None
        if local is None or not in_date_range(local):
            raise forms.ValidationError(OUT_OF_RANGE)
        return moment


class DayField(forms.DateField):
    """A date (YYYY-MM-DD) between 1900 and 2100: `+ 1 day` and the database take it (see MomentField)."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not in_date_range(day):
            raise forms.ValidationError(OUT_OF_RANGE)
        return day


class MomentFilter(django_filters.IsoDateTimeFilter):
    """The time filter of every FilterSet (tests/quality/test_date_bounds.py fails for another one)."""

    field_class = MomentField


class DateFilter(django_filters.DateFilter):
    """The date filter of every FilterSet."""

    field_class = DayField


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

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            bound_numbers(filterset)
        return filterset


# Every number a filter hands the database fits a 64-bit integer column: beyond it SQLite raises
# OverflowError and PostgreSQL an out-of-range error, both a 500. A filter that sets its own bounds keeps them.
NUMBER_BOUNDS = {"min_value": -(2**63), "max_value": 2**63 - 1}


def bound_numbers(filterset) -> None:
    for number_filter in filterset.filters.values():
        if isinstance(number_filter, django_filters.NumberFilter):
            for key, limit in NUMBER_BOUNDS.items():
                number_filter.extra.setdefault(key, limit)


def filters_list(view) -> bool:
    """Whether `view` (as it runs, or as the schema generator builds it) answers a filterable list."""
    if getattr(view, "action_map", None) is None:  # not a viewset
        return True
    action = getattr(view, "action", None)
    if action == "list":
        return True
    handler = getattr(view, action, None) if action else None
    return getattr(handler, "kwargs", {}).get("filterset_class") is not None
