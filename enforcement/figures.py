"""The reform's figures (大综合一体化改革成效), computed from the rows, for a period and a set of
townships — behind GET /api/v1/staff/enforcement/figures/ and the console's 改革成效 widget.

Definitions (docs/provincial-sync.md § figures says the same for users):

* joint inspections: 综合查一次 visits completed in the period at targets in the townships;
* problems found: the findings recorded in those inspections;
* cases filed from inspections: cases filed from those findings (not every case of the period);
* inspections replaced: one separate inspection per participating team per joint inspection
  (before the reform each department came on its own) — the sum of participating teams;
* inspections saved: replaced − held (each joint inspection is itself one visit);
* empowered: matters (and their domains) a township exercises on the period's last day;
* reports by channel: reports received in the period (merged duplicates left out) with the median
  and average hours from report to dispatch and from report to close.

A fixed number of queries whatever the data; medians and averages are computed in Python."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean, median

from django.db.models import Q

from enforcement import selectors
from enforcement.models import Case, Empowerment, Finding, Inspection, ProblemReport, Team
from enforcement.stats import _bounds
from linli.accounts.models import User
from linli.regions.models import Street


@dataclass
class Figures:
    start: date
    end: date
    streets: list[Street] | None  # None: the whole district
    joint_inspections: int = 0
    problems_found: int = 0
    cases_from_inspections: int = 0
    inspections_replaced: int = 0
    inspections_saved: int = 0
    empowerment: list[dict] = field(default_factory=list)
    reports: int = 0
    reports_by_channel: list[dict] = field(default_factory=list)


def township_scope(user: User) -> set[int] | None:
    """The townships whose figures `user` may see: None (the whole district) for dispatchers,
    superusers and officers of district departments; else the townships of their teams."""
    if selectors.is_dispatcher(user):
        return None
    mine = selectors.team_memberships().filter(user=user).values("scope_id")
    teams = list(Team.objects.filter(pk__in=mine, is_active=True).values_list("kind", "street_id"))  # 1 query
    if any(kind == Team.Kind.DISTRICT_DEPARTMENT for kind, _ in teams):
        return None
    return {street_id for _, street_id in teams if street_id is not None}


def _hours(values: list[timedelta]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    seconds = [v.total_seconds() for v in values]
    return round(median(seconds) / 3600, 2), round(mean(seconds) / 3600, 2)


def reform_figures(*, start: date, end: date, street_ids: set[int] | None = None) -> Figures:
    """The figures of [start, end] (dates in Asia/Shanghai) for `street_ids` (None: the district)."""
    low, high = _bounds(start, end)
    streets = None if street_ids is None else list(Street.objects.filter(pk__in=street_ids).order_by("id"))  # 1
    figures = Figures(start=start, end=end, streets=streets)

    inspections = Inspection.objects.filter(
        status=Inspection.Status.COMPLETED, completed_at__gte=low, completed_at__lt=high
    )
    empowerments = Empowerment.objects.filter(since__lte=end).filter(Q(until__isnull=True) | Q(until__gt=end))
    reports = ProblemReport.objects.filter(created_at__gte=low, created_at__lt=high).exclude(
        status=ProblemReport.Status.MERGED
    )
    if street_ids is not None:
        inspections = inspections.filter(target__street_id__in=street_ids)
        empowerments = empowerments.filter(street_id__in=street_ids)
        reports = reports.filter(street_id__in=street_ids)

    figures.joint_inspections = inspections.count()  # 2
    figures.inspections_replaced = Inspection.teams.through.objects.filter(inspection__in=inspections).count()  # 3
    figures.inspections_saved = figures.inspections_replaced - figures.joint_inspections
    figures.problems_found = Finding.objects.filter(inspection__in=inspections).count()  # 4
    figures.cases_from_inspections = Case.objects.filter(finding__inspection__in=inspections).count()  # 5

    # 6: the empowerment rows in force on the last day, with their township and domain
    per_street: dict[int, dict] = {}
    for street_id, street_name, matter_id, domain_id, domain_name in empowerments.order_by(
        "street_id", "matter__domain__sort_order"
    ).values_list("street_id", "street__name", "matter_id", "matter__domain_id", "matter__domain__name"):
        row = per_street.setdefault(
            street_id, {"street_id": street_id, "street": street_name, "matters": set(), "domains": {}}
        )
        row["matters"].add(matter_id)
        row["domains"][domain_id] = domain_name
    figures.empowerment = [
        {
            "street": {"id": row["street_id"], "name": row["street"]},
            "matters": len(row["matters"]),
            "domains": len(row["domains"]),
            "domain_names": list(row["domains"].values()),
        }
        for row in per_street.values()
    ]

    # 7: every report of the period with its times
    to_dispatch, to_close, counts = defaultdict(list), defaultdict(list), defaultdict(int)
    for channel, created, dispatched, closed in reports.order_by().values_list(
        "channel", "created_at", "dispatched_at", "closed_at"
    ):
        counts[channel] += 1
        if dispatched is not None:
            to_dispatch[channel].append(dispatched - created)
        if closed is not None:
            to_close[channel].append(closed - created)
    figures.reports = sum(counts.values())
    for key, label in ProblemReport.Channel.choices:
        dispatch_median, dispatch_mean = _hours(to_dispatch[key])
        close_median, close_mean = _hours(to_close[key])
        figures.reports_by_channel.append(
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "dispatched": len(to_dispatch[key]),
                "median_hours_to_dispatch": dispatch_median,
                "average_hours_to_dispatch": dispatch_mean,
                "closed": len(to_close[key]),
                "median_hours_to_close": close_median,
                "average_hours_to_close": close_mean,
            }
        )
    return figures


def figures_for(user: User, *, start: date, end: date, street_id: int | None = None) -> Figures | None:
    """The caller's figures; None when `street_id` is outside the caller's townships (a 404)."""
    scope = township_scope(user)
    if street_id is not None:
        if scope is not None and street_id not in scope:
            return None
        if not Street.objects.filter(pk=street_id).exists():
            return None
        scope = {street_id}
    return reform_figures(start=start, end=end, street_ids=scope)
