from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.console import charts
from linli.console.registry import Scope, WidgetData, widgets
from linli.console.service_index import service_index
from linli.regions.models import Community

CONSOLE_ROLES = (Role.COMMUNITY_STAFF,)
# How long the dashboard's numbers may lag (it says "as of" when): 30 days of every app's numbers
# cost ~30 aggregate queries (60 ms of PostgreSQL CPU on the bench data); the staff of a community
# opening it share one computation a minute.
DASHBOARD_CACHE_SECONDS = 60


def console_communities(user):
    """Communities whose data `user` may see in the console: all for a superuser, else their staff communities."""
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    qs = Community.objects.select_related("street")
    if user.is_superuser:
        return qs
    ids = Membership.objects.filter(user=user, role__in=CONSOLE_ROLES, community__isnull=False).values("community_id")
    return qs.filter(pk__in=ids)


def console_community_ids(user) -> list[int] | None:
    """None means "every community" (superuser); otherwise the ids the user may see."""
    if user.is_superuser:
        return None
    return list(console_communities(user).values_list("pk", flat=True))


def households_by_community(community_ids) -> dict[int, int]:
    """Verified households (distinct rooms with a resident) per community: one grouped query."""
    rows = (
        Membership.objects.filter(role=Role.RESIDENT, community_id__in=community_ids)
        .values("community_id")
        .annotate(n=Count("scope_id", distinct=True))
    )
    return {row["community_id"]: row["n"] for row in rows}


def build_dashboard(
    *, communities, days: int = 30, today=None, with_charts: bool = False, district: bool = False
) -> dict:
    """`district`: the viewer sees the whole district (a superuser, no community picked)."""
    communities = list(communities)
    scope = Scope([c.pk for c in communities], today or timezone.localdate(), days, district)
    labels = [d.strftime("%m-%d") for d in scope.dates()]
    out_widgets = []
    for w in widgets():
        data: WidgetData | None = w.compute(scope)
        if data is None:  # nothing of this kind in these communities (e.g. no enforcement team)
            continue
        item = {
            "key": w.key,
            "title": w.title,
            "metrics": [{"key": m.key, "label": m.label, "value": m.value, "unit": m.unit} for m in data.metrics],
            "trend": None,
            "breakdown": [{"label": label, "value": value} for label, value in data.breakdown],
            "breakdown_title": data.breakdown_title,
        }
        if data.trend is not None:
            item["trend"] = {
                "dates": [d.isoformat() for d in scope.dates()],
                "series": [{"name": name, "values": values} for name, values in data.trend.series],
                "unit": data.trend.unit,
            }
        if with_charts:
            item["line_svg"] = charts.line_chart(labels, data.trend.series, unit=data.trend.unit) if data.trend else ""
            item["bar_svg"] = charts.bar_chart(data.breakdown) if data.breakdown else ""
        out_widgets.append(item)
    return {
        "communities": [{"id": c.pk, "name": c.name} for c in communities],
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat(), "days": days},
        "widgets": out_widgets,
        "service_index": service_index(scope, communities),
    }


def dashboard_for(*, communities, days: int = 30, district: bool = False, with_charts: bool = False) -> dict:
    """`build_dashboard` shared for DASHBOARD_CACHE_SECONDS by everyone who sees the same communities,
    period and day — the API and the admin page alike — with `as_of`, when it was computed."""
    communities = list(communities)
    today = timezone.localdate()
    ids = ",".join(str(pk) for pk in sorted(c.pk for c in communities))
    key = f"console:dashboard:{ids}:{days}:{today}:{district}"
    dashboard = cache.get(key)
    if dashboard is None:
        as_of = timezone.localtime().isoformat(timespec="seconds")
        numbers = build_dashboard(communities=communities, days=days, today=today, district=district)
        dashboard = {"as_of": as_of, **numbers}
        cache.set(key, dashboard, DASHBOARD_CACHE_SECONDS)
    return _with_charts(dashboard) if with_charts else dashboard


def _with_charts(dashboard: dict) -> dict:
    """The admin page's SVG charts, drawn from the (cached) numbers."""
    labels = [date[5:] for date in _dates(dashboard)]  # MM-DD
    widgets_with_charts = []
    for item in dashboard["widgets"]:
        trend = item["trend"]
        series = [(s["name"], s["values"]) for s in trend["series"]] if trend else []
        widgets_with_charts.append(
            {
                **item,
                "line_svg": charts.line_chart(labels, series, unit=trend["unit"]) if trend else "",
                "bar_svg": charts.bar_chart([(b["label"], b["value"]) for b in item["breakdown"]])
                if item["breakdown"]
                else "",
            }
        )
    return {**dashboard, "widgets": widgets_with_charts}


def _dates(dashboard: dict) -> list[str]:
    for item in dashboard["widgets"]:
        if item["trend"]:
            return item["trend"]["dates"]
    return []
