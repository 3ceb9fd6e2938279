"""What events contributes to the staff console: registrations and attendance, and 参与度."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from events import selectors
from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, index_component, widget
from linli.console.selectors import households_by_community


@widget("events", "活动报名与签到", order=20)
def registrations(scope: Scope) -> WidgetData:
    start, end = scope.bounds()
    ids = scope.community_ids
    made = list(selectors.registrations_by_day(community_ids=ids, start=start, end=end))  # 1 query
    came = list(selectors.attendance_by_day(community_ids=ids, start=start, end=end))  # 1 query
    registered = daily_series(scope, [(r["day"], r["registrations"]) for r in made])
    attended = daily_series(scope, [(r["day"], r["attended"]) for r in came])
    people = int(sum(r["people"] or 0 for r in came))
    total_registered, total_attended = int(sum(registered)), int(sum(attended))
    return WidgetData(
        metrics=[
            Metric("registrations_today", "今日报名", int(registered[-1]), "人次"),
            Metric("attended_today", "今日签到", int(attended[-1]), "人次"),
            Metric("registrations", f"{scope.days}天报名", total_registered, "人次"),
            Metric("attended", f"{scope.days}天签到", total_attended, "人次"),
            Metric("people", f"{scope.days}天到场人数", people, "人"),
        ],
        trend=Trend([("报名", registered), ("签到", attended)]),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


@widget("volunteer_hours", "志愿服务时长", order=21)
def volunteer_hours(scope: Scope) -> WidgetData:
    """Hours credited this month and this year (to the scope's end day), by organising community: 2 queries."""
    end = _midnight(scope.end + timedelta(days=1))
    ids = scope.community_ids
    month = selectors.volunteer_hours_by_community(
        community_ids=ids, start=_midnight(scope.end.replace(day=1)), end=end
    )
    year = selectors.volunteer_hours_by_community(
        community_ids=ids, start=_midnight(scope.end.replace(month=1, day=1)), end=end
    )
    return WidgetData(
        metrics=[
            Metric("hours_month", "本月志愿时长", float(sum(r["hours"] or 0 for r in month.values())), "小时"),
            Metric("hours_year", "本年志愿时长", float(sum(r["hours"] or 0 for r in year.values())), "小时"),
            # A volunteer of two communities' activities counts in each (the rows are per community).
            Metric("volunteers_year", "本年志愿者", sum(r["volunteers"] for r in year.values()), "人次"),
        ],
        breakdown=[(r["event__community__name"], float(r["hours"] or 0)) for r in year.values()],
        breakdown_title="本年志愿时长（小时），按社区",
    )


@index_component("participation")
def participation(scope: Scope) -> dict[int, float | None]:
    """Event attendances ÷ verified households × 100 (capped by the index at 100)."""
    start, end = scope.bounds()
    households = households_by_community(scope.community_ids)
    attended = selectors.attendances_by_community(community_ids=scope.community_ids, start=start, end=end)
    return {
        community_id: (attended.get(community_id, 0) / n * 100 if n else None)
        for community_id, n in ((c, households.get(c) or 0) for c in scope.community_ids)
    }
