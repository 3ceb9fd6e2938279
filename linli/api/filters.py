"""Filters every app's FilterSets share."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


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
