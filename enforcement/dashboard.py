"""What enforcement contributes to the staff console: reports by channel and outcome, joint
inspections, problems found and cases filed — from the same selector as
GET /api/v1/staff/enforcement/stats/, so the numbers agree.

Enforcement is organised by team and township, not by community: the district view (a superuser
with no community picked) shows every team, as a dispatcher's stats do; a community's view shows
the teams of its township, and no widget at all where its township has none.
"""

from enforcement import stats
from enforcement.models import ProblemReport
from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, widget
from linli.regions.models import Community


def _team_ids(scope: Scope) -> set[int] | None:
    if scope.district:
        return None
    streets = Community.objects.filter(pk__in=scope.community_ids).values("street_id")
    return stats.team_ids_for_streets(streets)  # 1 query (streets is a subquery)


@widget("enforcement", "联合执法", order=50)
def enforcement(scope: Scope) -> WidgetData | None:
    team_ids = _team_ids(scope)
    if team_ids is not None and not team_ids:
        return None  # no enforcement team works in these communities' townships
    result = stats.enforcement_stats(start=scope.start, end=scope.end, team_ids=team_ids)  # 9 queries
    rows = stats.reports_by_day(start=scope.start, end=scope.end, team_ids=team_ids)  # 1 query
    labels = dict(ProblemReport.Channel.choices)
    volume: dict[str, int] = {}
    for row in rows:
        volume[row["channel"]] = volume.get(row["channel"], 0) + row["n"]
    # The four busiest channels as lines (more would not fit the legend); all of them in 全部.
    channels = sorted(volume, key=lambda c: (-volume[c], list(labels).index(c)))[:4]
    series = [
        (labels[channel], daily_series(scope, [(r["day"], r["n"]) for r in rows if r["channel"] == channel]))
        for channel in channels
    ]
    by_day: dict = {}
    for row in rows:
        by_day[row["day"]] = by_day.get(row["day"], 0) + row["n"]
    total = daily_series(scope, by_day.items())
    rate = result.on_time_rate
    return WidgetData(
        metrics=[
            Metric("reports_today", "今日线索", int(total[-1]), "条"),
            Metric("reports", f"{scope.days}天线索", result.reports, "条"),
            Metric("on_time_rate", "按时处置率", None if rate is None else round(rate * 100, 1), "%"),
            Metric("joint_inspections", "综合查一次", result.joint_inspections, "次"),
            Metric("problems_found", "发现问题", result.problems_found, "个"),
            Metric("cases_filed", "立案", result.cases_filed, "件"),
        ],
        trend=Trend([("全部", total), *series]),
        breakdown=[(row["label"], row["count"]) for row in result.reports_by_outcome if row["count"]],
        breakdown_title="处置结果",
    )
