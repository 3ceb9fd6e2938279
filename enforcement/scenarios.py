"""Reads of 监管一件事 scenarios: the catalogue with its matters, lead department and the district
departments of its matters' domains, and each scenario's statistics by month."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from enforcement.models import Case, Finding, Inspection, Matter, Scenario
from enforcement.stats import _bounds


def scenarios() -> QuerySet[Scenario]:
    return (
        Scenario.objects.select_related("lead_team")
        .annotate(matter_count=Count("matters", distinct=True))
        .order_by("id")
    )


def scenario_detail(queryset: QuerySet[Scenario]) -> QuerySet[Scenario]:
    matters = Matter.objects.select_related("domain__department").order_by("domain__sort_order", "code")
    return queryset.prefetch_related(Prefetch("matters", queryset=matters))


def departments_of(scenario: Scenario) -> list:
    """The district departments of the scenario's matters' domains (from prefetched matters), once each."""
    seen = {}
    for matter in scenario.matters.all():
        department = matter.domain.department
        if department is not None:
            seen.setdefault(department.pk, department)
    return list(seen.values())


def _month(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m")


def scenario_stats(*, scenario: Scenario, start: date, end: date, street_ids: set[int] | None) -> dict:
    """Inspections planned and completed from the scenario in [start, end], problems found in the
    completed ones, cases filed from those problems; totals and by month (Asia/Shanghai). 3 queries."""
    low, high = _bounds(start, end)
    inspections = Inspection.objects.filter(scenario=scenario)
    if street_ids is not None:
        inspections = inspections.filter(target__street_id__in=street_ids)
    completed = inspections.filter(status=Inspection.Status.COMPLETED, completed_at__gte=low, completed_at__lt=high)
    by_month: dict[str, dict] = defaultdict(lambda: {"inspections": 0, "problems_found": 0, "cases_filed": 0})
    for (completed_at,) in completed.order_by().values_list("completed_at"):  # 1
        by_month[_month(completed_at)]["inspections"] += 1
    findings = Finding.objects.filter(inspection__in=completed).order_by()
    for (completed_at,) in findings.values_list("inspection__completed_at"):  # 2
        by_month[_month(completed_at)]["problems_found"] += 1
    cases = Case.objects.filter(finding__inspection__in=completed).order_by()
    for (completed_at,) in cases.values_list("finding__inspection__completed_at"):  # 3
        by_month[_month(completed_at)]["cases_filed"] += 1
    months = [{"month": month, **counts} for month, counts in sorted(by_month.items())]
    return {
        "scenario": scenario,
        "period_from": start,
        "period_to": end,
        "inspections": sum(m["inspections"] for m in months),
        "problems_found": sum(m["problems_found"] for m in months),
        "cases_filed": sum(m["cases_filed"] for m in months),
        "by_month": months,
    }
