import re
from datetime import date

import django_filters
from django import forms
from django.db.models import Q

from property.models import Bill, Receipt, Vehicle

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month as YYYY-MM → the first day of that month."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _MONTH.match(value)
        if not match or not (2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12):
            raise forms.ValidationError("请按 YYYY-MM 填写月份，如 2026-11")
        return date(int(match[1]), int(match[2]), 1)


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class MyBillFilterSet(django_filters.FilterSet):
    period = MonthFilter(field_name="period", help_text="Month, YYYY-MM")
    room = django_filters.NumberFilter(field_name="room_id", help_text="Room (household) id", **ID_RANGE)

    class Meta:
        model = Bill
        fields = ["status", "period", "room"]


class BillFilterSet(django_filters.FilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    building = django_filters.NumberFilter(field_name="room__building_id", help_text="Building id", **ID_RANGE)
    room = django_filters.NumberFilter(field_name="room_id", help_text="Room id", **ID_RANGE)
    item = django_filters.NumberFilter(field_name="item_id", help_text="Fee item id", **ID_RANGE)
    period = MonthFilter(field_name="period", help_text="Month, YYYY-MM")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", help_text="From month, YYYY-MM")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", help_text="To month, YYYY-MM")
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Unpaid past its due date")
    search = django_filters.CharFilter(method="filter_search", help_text="Room number, bill title or plate")

    class Meta:
        model = Bill
        fields = ["status", "estate", "building", "room", "item", "period", "period_from", "period_to", "overdue"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        overdue = Q(status=Bill.Status.UNPAID, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(room__number=value) | Q(title__icontains=value) | Q(vehicle__plate__icontains=value.upper())
        )


class ReceiptFilterSet(django_filters.FilterSet):
    class Meta:
        model = Receipt
        fields = ["method"]


class VehicleFilterSet(django_filters.FilterSet):
    estate = django_filters.NumberFilter(field_name="room__building__estate_id", help_text="Estate id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="Plate contains")

    class Meta:
        model = Vehicle
        fields = ["status", "estate", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(plate__icontains=value.replace(" ", "").upper())
