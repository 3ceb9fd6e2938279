"""The statistics selector behind GET /api/v1/staff/enforcement/stats/: a fixed number of aggregate
queries whatever the data (the medians are computed in Python from one list of durations)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from enforcement.models import Case, Finding, Inspection, ProblemReport, Team


@dataclass
class Stats:
    start: date
    end: date
    joint_inspections: int = 0
    replaced_inspections: int = 0
    problems_found: int = 0
    cases_filed: int = 0
    reports: int = 0
    reports_by_channel: list[dict] = field(default_factory=list)
    reports_by_outcome: list[dict] = field(default_factory=list)
    on_time_rate: float | None = None
    median_handling_hours: float | None = None
    per_team: list[dict] = field(default_factory=list)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def _rate(on_time: int, resolved: int) -> float | None:
    return round(on_time / resolved, 4) if resolved else None


def _hours(durations: list[timedelta]) -> float | None:
    return round(median(d.total_seconds() for d in durations) / 3600, 2) if durations else None


def enforcement_stats(*, start: date, end: date, team_ids: set[int] | None = None) -> Stats:
    """Totals for [start, end] (dates in Asia/Shanghai), limited to `team_ids` when given."""
    low, high = _bounds(start, end)
    stats = Stats(start=start, end=end)

    inspections = Inspection.objects.filter(
        status=Inspection.Status.COMPLETED, completed_at__gte=low, completed_at__lt=high
    )
    participations = Inspection.teams.through.objects.filter(inspection__in=inspections)
    findings = Finding.objects.filter(created_at__gte=low, created_at__lt=high)
    cases = Case.objects.filter(filed_at__gte=low, filed_at__lt=high)
    reports = ProblemReport.objects.filter(created_at__gte=low, created_at__lt=high).exclude(
        status=ProblemReport.Status.MERGED
    )
    resolved = ProblemReport.objects.filter(
        resolved_at__gte=low, resolved_at__lt=high, dispatched_at__isnull=False, deadline_at__isnull=False
    )
    if team_ids is not None:
        participations = participations.filter(team_id__in=team_ids)
        inspections = inspections.filter(pk__in=participations.values("inspection_id"))
        findings = findings.filter(team_id__in=team_ids)
        cases = cases.filter(team_id__in=team_ids)
        reports = reports.filter(team_id__in=team_ids)
        resolved = resolved.filter(team_id__in=team_ids)

    # 1: per team participations (and through them the totals of joint inspections)
    per_team_inspections = dict(
        participations.values("team_id").annotate(n=Count("inspection_id", distinct=True)).values_list("team_id", "n")
    )
    stats.joint_inspections = inspections.count()  # 2
    stats.replaced_inspections = participations.count()  # 3
    stats.problems_found = findings.count()  # 4
    # 5: cases per team
    per_team_cases = dict(cases.values("team_id").annotate(n=Count("pk")).values_list("team_id", "n"))
    stats.cases_filed = sum(per_team_cases.values())
    # 6: reports per channel
    channel_labels = dict(ProblemReport.Channel.choices)
    by_channel = dict(reports.values("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    stats.reports = sum(by_channel.values())
    stats.reports_by_channel = [
        {"key": key, "label": label, "count": by_channel.get(key, 0)} for key, label in channel_labels.items()
    ]
    # 7: per team: reports received
    per_team_reports = dict(
        reports.filter(team__isnull=False).values("team_id").annotate(n=Count("pk")).values_list("team_id", "n")
    )
    # 8: every resolution of the period with its team, outcome, deadline and duration
    rows = list(
        resolved.order_by()
        .annotate(took=F("resolved_at") - F("dispatched_at"))
        .values_list("team_id", "outcome", "took", "resolved_at", "deadline_at")
    )
    outcome_counts = defaultdict(int)
    team_durations, team_on_time = defaultdict(list), defaultdict(int)
    for team_id, outcome, took, resolved_at, deadline_at in rows:
        outcome_counts[outcome] += 1
        team_durations[team_id].append(took)
        team_on_time[team_id] += resolved_at <= deadline_at
    stats.reports_by_outcome = [
        {"key": key, "label": label, "count": outcome_counts.get(key, 0)}
        for key, label in ProblemReport.Outcome.choices
    ]
    all_durations = [d for durations in team_durations.values() for d in durations]
    stats.on_time_rate = _rate(sum(team_on_time.values()), len(all_durations))
    stats.median_handling_hours = _hours(all_durations)

    # 9: the teams that appear
    seen = set(per_team_inspections) | set(per_team_cases) | set(per_team_reports) | set(team_durations)
    seen.discard(None)
    teams = Team.objects.filter(pk__in=seen).select_related("street").order_by("kind", "name")
    stats.per_team = [
        {
            "team": team,
            "kind": team.kind,
            "street": team.street.name if team.street_id else None,
            "reports": per_team_reports.get(team.pk, 0),
            "resolved": len(team_durations.get(team.pk, [])),
            "on_time_rate": _rate(team_on_time.get(team.pk, 0), len(team_durations.get(team.pk, []))),
            "median_handling_hours": _hours(team_durations.get(team.pk, [])),
            "joint_inspections": per_team_inspections.get(team.pk, 0),
            "cases_filed": per_team_cases.get(team.pk, 0),
        }
        for team in teams
    ]
    return stats


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 365 days up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=364), today


def reports_by_day(*, start: date, end: date, team_ids: set[int] | None = None) -> list[dict]:
    """One GROUP BY (day, channel) query: reports received each day of [start, end] by channel, counted
    like enforcement_stats counts `reports` (merged duplicates excluded), for the same teams."""
    low, high = _bounds(start, end)
    reports = ProblemReport.objects.filter(created_at__gte=low, created_at__lt=high).exclude(
        status=ProblemReport.Status.MERGED
    )
    if team_ids is not None:
        reports = reports.filter(team_id__in=team_ids)
    return list(
        reports.annotate(day=TruncDate("created_at")).values("day", "channel").annotate(n=Count("pk")).order_by("day")
    )


def team_ids_for_streets(street_ids) -> set[int]:
    """The teams a community dashboard shows: those of the communities' streets (township teams)."""
    return set(Team.objects.filter(street_id__in=street_ids).values_list("pk", flat=True))
