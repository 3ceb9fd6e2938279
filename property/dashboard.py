"""What the property app contributes to the staff console: the month's collection rate, arrears and
today's visitors at the gates.

The collection widget reads `selectors.stats.collection_rows`, the same function as the staff API's
`/staff/property/stats/`, so the console and the API show the same numbers."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, widget
from property.models import Bill, GateDevice
from property.selectors import gate, stats


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


@widget("property_collection", "物业费收缴率", order=40)
def collection(scope: Scope) -> WidgetData | None:
    month = scope.end.replace(day=1)
    rows = stats.collection_rows(scope=Q(community_id__in=scope.community_ids), period_from=month, period_to=month)
    if not rows:
        return None
    total = stats.totals(rows)
    return WidgetData(
        metrics=[
            Metric("billed", f"{month.month}月应收", _yuan(total["billed_fen"]), "元"),
            Metric("collected", f"{month.month}月实收", _yuan(total["collected_fen"]), "元"),
            Metric("rate", "收缴率", _percent(total["rate"]), "%"),
        ],
        breakdown=[(row["estate__name"], _percent(row["rate"]) or 0.0) for row in rows],
        breakdown_title="各小区收缴率（%）",
    )


@widget("property_arrears", "物业欠费", order=41)
def arrears(scope: Scope) -> WidgetData | None:
    rows = list(
        Bill.objects.filter(community_id__in=scope.community_ids, status=Bill.Status.UNPAID, due_date__lt=scope.end)
        .values("estate__name")
        .annotate(amount_fen=Sum("amount_fen"), rooms=Count("room_id", distinct=True), bills=Count("id"))
        .order_by("estate__name")
    )
    if not rows:
        return None
    return WidgetData(
        metrics=[
            Metric("amount", "逾期欠费", _yuan(sum(r["amount_fen"] for r in rows)), "元"),
            Metric("rooms", "欠费户数", sum(r["rooms"] for r in rows), "户"),
            Metric("bills", "逾期账单", sum(r["bills"] for r in rows), "张"),
        ],
        breakdown=[(r["estate__name"], _yuan(r["amount_fen"])) for r in rows],
        breakdown_title="各小区欠费（元）",
    )


@widget("property_visitors", "今日访客", order=42)
def visitors(scope: Scope) -> WidgetData | None:
    """Visitors let in at the estates' gates on the scope's last day, and the period's trend."""
    if not GateDevice.objects.filter(community_id__in=scope.community_ids).exists():  # 1 query
        return None  # no gate in these communities: nothing to count
    today = gate.visitor_totals(community_ids=scope.community_ids, day=scope.end)  # 1 query
    start, end = scope.bounds()
    by_day = gate.visitors_by_day(community_ids=scope.community_ids, start=start, end=end)  # 1 query
    open_passes = gate.open_passes_count(community_ids=scope.community_ids, now=timezone.now())  # 1 query
    return WidgetData(
        metrics=[
            Metric("allowed", "今日放行", today["allowed"], "人次"),
            Metric("walk_ins", "其中人工登记", today["walk_ins"], "人次"),
            Metric("refused", "今日拒绝", today["refused"], "次"),
            Metric("open_passes", "有效访客通行证", open_passes, "张"),
        ],
        trend=Trend([("放行访客", daily_series(scope, [(r["day"], r["n"]) for r in by_day]))]),
    )
