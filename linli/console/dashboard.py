"""The platform's own dashboard widgets (devices, residents and points) and the 共富度 component."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Abs, TruncDate

from linli.accounts.models import Membership, Role
from linli.console.registry import Metric, Scope, Trend, WidgetData, components, daily_series, index_component, widget
from linli.console.selectors import households_by_community
from linli.devices.models import Device
from linli.points.models import PointsEntry

POINTS_FULL_SCORE_PER_HOUSEHOLD = 100  # 积分 moved per household in 30 days that counts as 100
SALES_FULL_SCORE_YUAN_PER_HOUSEHOLD = 100  # local sales per household in 30 days that counts as 100


def _resident_entries(scope: Scope):
    residents = Membership.objects.filter(role=Role.RESIDENT, community_id__in=scope.community_ids)
    start, end = scope.bounds()  # a range on created_at, not its date cast: the index serves it
    return PointsEntry.objects.filter(
        account__user__in=residents.values("user_id"), created_at__gte=start, created_at__lt=end
    )


@widget("residents", "居民与积分", order=90)
def residents_and_points(scope: Scope) -> WidgetData:
    households = households_by_community(scope.community_ids)
    residents = (
        Membership.objects.filter(role=Role.RESIDENT, community_id__in=scope.community_ids)
        .values("user_id")
        .distinct()
        .count()
    )
    daily = (
        _resident_entries(scope)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(earned=Sum("amount", filter=Q(amount__gt=0)), spent=Sum(Abs("amount"), filter=Q(amount__lt=0)))
    )
    rows = list(daily)
    earned = daily_series(scope, [(r["day"], r["earned"]) for r in rows])
    spent = daily_series(scope, [(r["day"], r["spent"]) for r in rows])
    return WidgetData(
        metrics=[
            Metric("households", "认证家庭", sum(households.values()), "户"),
            Metric("residents", "认证居民", residents, "人"),
            Metric("points_earned", "30天发放积分", int(sum(earned)), "分"),
            Metric("points_spent", "30天消费积分", int(sum(spent)), "分"),
        ],
        trend=Trend([("发放", earned), ("消费", spent)], unit=""),
    )


@widget("devices", "智能终端", order=95)
def devices(scope: Scope) -> WidgetData:
    rows = list(
        Device.objects.filter(community_id__in=scope.community_ids).values("kind", "status").annotate(n=Count("id"))
    )
    labels = dict(Device.Kind.choices)
    offline_by_kind: dict[str, int] = {}
    totals = {"online": 0, "offline": 0, "disabled": 0}
    for row in rows:
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
        if row["status"] == Device.Status.OFFLINE:
            offline_by_kind[labels.get(row["kind"], row["kind"])] = row["n"]
    return WidgetData(
        metrics=[
            Metric("online", "在线", totals["online"], "台"),
            Metric("offline", "离线", totals["offline"], "台"),
            Metric("total", "设备总数", sum(totals.values()), "台"),
        ],
        breakdown=sorted(offline_by_kind.items()),
        breakdown_title="离线设备（按类型）",
    )


@index_component("prosperity")
def prosperity(scope: Scope) -> dict[int, float | None]:
    households = households_by_community(scope.community_ids)
    moved = {
        row["account__user__memberships__community_id"]: row["total"] or 0
        for row in _resident_entries(scope)
        .filter(
            account__user__memberships__role=Role.RESIDENT,
            account__user__memberships__community_id__in=scope.community_ids,
        )
        .values("account__user__memberships__community_id")
        .annotate(total=Sum(Abs("amount")))
    }
    sales_component = components().get("local_sales")
    sales = sales_component.compute(scope) if sales_component else {}
    out = {}
    for community_id in scope.community_ids:
        n = households.get(community_id) or 0
        if not n:
            out[community_id] = None
            continue
        points_score = min(100.0, moved.get(community_id, 0) / n / POINTS_FULL_SCORE_PER_HOUSEHOLD * 100)
        sales_score = min(100.0, (sales.get(community_id) or 0) / n / SALES_FULL_SCORE_YUAN_PER_HOUSEHOLD * 100)
        out[community_id] = 0.5 * points_score + 0.5 * sales_score
    return out
