import re
from datetime import date

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from linli.api.filters import DateFilter
from property.models import Bill, GateEntry, PlateRead, Receipt, Vehicle, VisitorPass

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


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthFilter(django_filters.Filter):
    # The schema says what MonthField reads (a string), not the model's date column.
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


# --- visitors and the gate -----------------------------------------------------------------------


class VisitorPassFilterSet(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open", help_text="true: 仍可使用（未撤销、未过期、有剩余次数）")

    class Meta:
        model = VisitorPass
        fields = ["open"]

    def filter_open(self, queryset, name, value):
        usable = Q(revoked_at__isnull=True, valid_until__gt=timezone.now(), entries_used__lt=F("entries_allowed"))
        return queryset.filter(usable) if value else queryset.exclude(usable)


class StaffVisitorPassFilterSet(VisitorPassFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="访客姓名或车牌包含")

    class Meta:
        model = VisitorPass
        fields = ["open", "estate", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(visitor_name__icontains=value) | Q(plate__icontains=value.upper()))


class _DayRangeFilterSet(django_filters.FilterSet):
    date_from = DateFilter(field_name="at", lookup_expr="date__gte", help_text="从这天起（含，YYYY-MM-DD）")
    date_to = DateFilter(field_name="at", lookup_expr="date__lte", help_text="到这天止（含）")


class VisitorEntryFilterSet(_DayRangeFilterSet):
    visitor_pass = django_filters.NumberFilter(field_name="visitor_pass_id", help_text="Pass id", **ID_RANGE)

    class Meta:
        model = GateEntry
        fields = ["visitor_pass", "result", "date_from", "date_to"]


class StaffGateEntryFilterSet(_DayRangeFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="访客姓名或车牌包含")

    class Meta:
        model = GateEntry
        fields = ["estate", "method", "result", "reason", "date_from", "date_to", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(visitor_name__icontains=value) | Q(plate__icontains=value.upper()))


class PlateReadFilterSet(_DayRangeFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    plate = django_filters.CharFilter(method="filter_plate", help_text="车牌包含")

    class Meta:
        model = PlateRead
        fields = ["estate", "result", "reason", "date_from", "date_to", "plate"]

    def filter_plate(self, queryset, name, value):
        return queryset.filter(plate__icontains=value.upper())
