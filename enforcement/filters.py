import django_filters
from django.db.models import Q
from django.utils import timezone

from enforcement.models import (
    Boundary,
    Case,
    DispatchOffer,
    Finding,
    Inspection,
    LiaisonStation,
    ProblemReport,
    ReportRequest,
    Scenario,
    Shift,
    SyncedRecord,
    Target,
    Team,
)
from linli.api.filters import DateFilter


class ResidentReportFilterSet(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="true: only mine; false: only followed")

    class Meta:
        model = ProblemReport
        fields = ["status", "mine"]

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(reporter=user) if value else queryset.exclude(reporter=user)


class StaffReportFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", help_text="Team id")
    category = django_filters.CharFilter(field_name="category__code", help_text="Category code")
    matter = django_filters.NumberFilter(field_name="matter_id", help_text="Matter id")
    street = django_filters.NumberFilter(field_name="street_id", help_text="Township (street) id")
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Past its deadline and still open")
    search = django_filters.CharFilter(method="filter_search", help_text="Number, description or address contains")

    class Meta:
        model = ProblemReport
        fields = ["status", "team", "channel", "category", "matter", "street", "outcome", "overdue", "search"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=ProblemReport.WORKING_STATUSES, deadline_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_search(self, queryset, name, value):
        q = Q(description__icontains=value) | Q(address__icontains=value)
        digits = value.lstrip("#")
        if digits.isdigit() and len(digits) < 15:
            q |= Q(pk=int(digits))
        return queryset.filter(q)


class ReportRequestFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", help_text="Team id")

    class Meta:
        model = ReportRequest
        fields = ["status", "kind", "team"]


class TeamFilterSet(django_filters.FilterSet):
    street = django_filters.NumberFilter(field_name="street_id", help_text="Township (street) id")

    class Meta:
        model = Team
        fields = ["kind", "street"]


class TargetFilterSet(django_filters.FilterSet):
    street = django_filters.NumberFilter(field_name="street_id", help_text="Township (street) id")
    search = django_filters.CharFilter(method="filter_search", help_text="Name, address or credit code contains")

    class Meta:
        model = Target
        fields = ["kind", "street", "whitelisted", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(credit_code=value))


class InspectionFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="teams", help_text="A participating team's id")
    target = django_filters.NumberFilter(field_name="target_id", help_text="Target id")
    planned_from = DateFilter(field_name="planned_at", lookup_expr="date__gte")
    planned_to = DateFilter(field_name="planned_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["status", "kind", "team", "target", "planned_from", "planned_to"]


class FindingFilterSet(django_filters.FilterSet):
    inspection = django_filters.NumberFilter(field_name="inspection_id", help_text="Inspection id")
    team = django_filters.NumberFilter(field_name="team_id", help_text="Team id")

    class Meta:
        model = Finding
        fields = ["inspection", "team", "severity"]


class CaseFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", help_text="Team id")
    matter = django_filters.NumberFilter(field_name="matter_id", help_text="Matter id")
    year = django_filters.NumberFilter(field_name="year")
    search = django_filters.CharFilter(method="filter_search", help_text="Case number or party contains")

    class Meta:
        model = Case
        fields = ["status", "push_status", "team", "matter", "year", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(party_name__icontains=value))


class ScenarioFilterSet(django_filters.FilterSet):
    lead_team = django_filters.NumberFilter(field_name="lead_team_id", help_text="Lead department (team id)")
    matter = django_filters.NumberFilter(field_name="matters", help_text="Scenarios that include this matter id")
    search = django_filters.CharFilter(method="filter_search", help_text="Name or place kind contains")

    class Meta:
        model = Scenario
        fields = ["lead_team", "matter", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(place_kind__icontains=value))


class SyncedRecordFilterSet(django_filters.FilterSet):
    object_id = django_filters.NumberFilter(field_name="object_id", help_text="Id of the report or inspection")
    external_id = django_filters.CharFilter(field_name="external_id", help_text="The province's id")

    class Meta:
        model = SyncedRecord
        fields = ["kind", "push_status", "object_id", "external_id"]


# --- geography and duty ------------------------------------------------------------------------


class BoundaryFilterSet(django_filters.FilterSet):
    street = django_filters.NumberFilter(field_name="street_id", help_text="Township (street) id")
    team = django_filters.NumberFilter(field_name="team_id", help_text="Squad (team) id, for squad areas")

    class Meta:
        model = Boundary
        fields = ["kind", "street", "team"]


class StationFilterSet(django_filters.FilterSet):
    street = django_filters.NumberFilter(field_name="street_id", help_text="Township (street) id")

    class Meta:
        model = LiaisonStation
        fields = ["street", "is_active"]


class ShiftFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", help_text="Squad (team) id")
    date = DateFilter(field_name="date", help_text="Duty date (YYYY-MM-DD)")

    class Meta:
        model = Shift
        fields = ["team", "date"]


class OfferFilterSet(django_filters.FilterSet):
    report = django_filters.NumberFilter(field_name="report_id", help_text="Report id")
    team = django_filters.NumberFilter(field_name="team_id", help_text="Squad (team) id")
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="true: only offers made to me")

    class Meta:
        model = DispatchOffer
        fields = ["status", "report", "team", "mine"]

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(officer=user) if value else queryset.exclude(officer=user)


class LiaisonReportFilterSet(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="liaison__station_id", help_text="Liaison station id")
    category = django_filters.CharFilter(field_name="category__code", help_text="Category code")

    class Meta:
        model = ProblemReport
        fields = ["status", "station", "category"]
