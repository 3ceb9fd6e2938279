from django.db.models import Count
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.console import charts
from linli.console.registry import Scope, WidgetData, widgets
from linli.console.service_index import service_index
from linli.regions.models import Community

CONSOLE_ROLES = (Role.COMMUNITY_STAFF,)


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
