import django_filters
from django import forms
from django.db.models import F, Q

from health.models import (
    Appointment,
    Consultation,
    Department,
    Drug,
    InsuranceApplication,
    PolicyArticle,
    Prescription,
    Slot,
    VitalAccessLog,
    VitalReading,
    VitalType,
)
from linli.api.filters import DateFilter, MomentFilter


class IdFilter(django_filters.NumberFilter):
    """An object id: a positive integer that fits the database (a huge number is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class DepartmentFilterSet(django_filters.FilterSet):
    clinic = IdFilter(field_name="clinic_id", help_text="Clinic id")
    community = django_filters.CharFilter(field_name="clinic__community__code", help_text="Community code")
    search = django_filters.CharFilter(method="filter_search", help_text="Department or clinic name contains")

    class Meta:
        model = Department
        fields = ["clinic", "community", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(clinic__name__icontains=value))


class DrugFilterSet(django_filters.FilterSet):
    coverage = django_filters.ChoiceFilter(choices=Drug.Coverage.choices)
    search = django_filters.CharFilter(method="filter_search", help_text="Name or manufacturer contains")

    class Meta:
        model = Drug
        fields = ["coverage", "is_prescription", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(manufacturer__icontains=value))


class ConsultationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Consultation.Status.choices)
    department = IdFilter(field_name="department_id", help_text="Department id")

    class Meta:
        model = Consultation
        fields = ["status", "department"]


class PrescriptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Prescription.Status.choices)

    class Meta:
        model = Prescription
        fields = ["status"]


class SlotFilterSet(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", help_text="Department id")
    date = DateFilter(help_text="YYYY-MM-DD")
    available = django_filters.BooleanFilter(method="filter_available", help_text="Only slots with places left")

    class Meta:
        model = Slot
        fields = ["department", "date", "available"]

    def filter_available(self, queryset, name, value):
        return queryset.filter(booked__lt=F("capacity")) if value else queryset.filter(booked__gte=F("capacity"))


class AppointmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)

    class Meta:
        model = Appointment
        fields = ["status"]


class VitalReadingFilterSet(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=VitalType.choices)
    to = MomentFilter(field_name="measured_at", lookup_expr="lte", help_text="Measured at or before (ISO 8601)")

    class Meta:
        model = VitalReading
        fields = ["type", "to"]


# `from` is a Python keyword, so it cannot be declared in the class body.
VitalReadingFilterSet.base_filters["from"] = MomentFilter(
    field_name="measured_at", lookup_expr="gte", help_text="Measured at or after (ISO 8601)"
)


class AccessLogFilterSet(django_filters.FilterSet):
    consultation = IdFilter(field_name="consultation_id", help_text="Consultation id")

    class Meta:
        model = VitalAccessLog
        fields = ["consultation"]


class InsuranceApplicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InsuranceApplication.Status.choices)
    type = django_filters.ChoiceFilter(choices=InsuranceApplication.Type.choices)

    class Meta:
        model = InsuranceApplication
        fields = ["status", "type"]


class PolicyFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text="Title or summary contains")

    class Meta:
        model = PolicyArticle
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class StaffPolicyFilterSet(PolicyFilterSet):
    status = django_filters.ChoiceFilter(choices=PolicyArticle.Status.choices)

    class Meta:
        model = PolicyArticle
        fields = ["status", "search"]
