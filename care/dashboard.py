"""What home care contributes to the staff console: care orders by status, visits on time, subsidy spent."""

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncDate

from care.models import Alarm, AlarmOutcome, CareOrder, SubsidyEntry, Visit
from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, widget


@widget("care_orders", "居家养老服务订单", order=40)
def care_orders(scope: Scope) -> WidgetData | None:
    start, end = scope.bounds()
    orders = CareOrder.objects.filter(community_id__in=scope.community_ids, created_at__gte=start, created_at__lt=end)
    by_status = dict(orders.order_by().values_list("status").annotate(n=Count("id")))  # 1 query
    if not by_status:
        return None
    daily = orders.annotate(day=TruncDate("created_at")).order_by().values_list("day").annotate(n=Count("id"))  # 1
    rating = orders.aggregate(avg=Avg("rating"))["avg"]  # 1 query
    open_count = sum(by_status.get(s, 0) for s in CareOrder.OPEN_STATUSES)
    return WidgetData(
        metrics=[
            Metric("total", f"{scope.days}天订单", sum(by_status.values()), "单"),
            Metric("open", "进行中", open_count, "单"),
            Metric("done", "已完成", by_status.get("done", 0) + by_status.get("rated", 0), "单"),
            Metric("average_rating", "平均评分", None if rating is None else round(rating, 1), "分"),
        ],
        trend=Trend([("下单", daily_series(scope, daily))]),
        breakdown=[(label, by_status.get(value, 0)) for value, label in CareOrder.Status.choices],
        breakdown_title="按状态",
    )


@widget("care_visits", "独居老人探访", order=41)
def visits(scope: Scope) -> WidgetData | None:
    due = Visit.objects.filter(
        community_id__in=scope.community_ids, date__gte=scope.start, date__lte=scope.end
    ).exclude(status=Visit.Status.PLANNED, date=scope.end)
    totals = due.aggregate(  # 1 query
        total=Count("id"),
        done=Count("id", filter=Q(status=Visit.Status.DONE)),
        missed=Count("id", filter=Q(status=Visit.Status.MISSED)),
    )
    if not totals["total"]:
        return None
    daily = (
        due.order_by()
        .values_list("date")
        .annotate(  # 1 query
            done=Count("id", filter=Q(status=Visit.Status.DONE)),
            missed=Count("id", filter=Q(status=Visit.Status.MISSED)),
        )
    )
    rows = list(daily)
    rate = totals["done"] / totals["total"] * 100
    return WidgetData(
        metrics=[
            Metric("due", f"{scope.days}天应探访", totals["total"], "次"),
            Metric("done", "按时完成", totals["done"], "次"),
            Metric("missed", "逾期未探访", totals["missed"], "次"),
            Metric("on_time_rate", "按时探访率", round(rate, 1), "%"),
        ],
        trend=Trend(
            [
                ("按时完成", daily_series(scope, [(d, done) for d, done, _ in rows])),
                ("逾期", daily_series(scope, [(d, missed) for d, _, missed in rows])),
            ]
        ),
    )


@widget("care_subsidy", "养老服务补贴", order=42)
def subsidy(scope: Scope) -> WidgetData | None:
    month_start = scope.end.replace(day=1)
    entries = SubsidyEntry.objects.filter(account__community_id__in=scope.community_ids)
    month = entries.filter(created_at__date__gte=month_start, created_at__date__lte=scope.end).aggregate(  # 1 query
        spent=Sum("amount_fen", filter=Q(kind=SubsidyEntry.Kind.SPEND)),
        refunded=Sum("amount_fen", filter=Q(kind=SubsidyEntry.Kind.REFUND)),
        granted=Sum("amount_fen", filter=Q(kind=SubsidyEntry.Kind.GRANT)),
        elders=Count("account", distinct=True, filter=Q(kind=SubsidyEntry.Kind.SPEND)),
    )
    if month["granted"] is None and month["spent"] is None:
        return None
    spent = -(month["spent"] or 0) - (month["refunded"] or 0)
    return WidgetData(
        metrics=[
            Metric("spent_this_month", "本月补贴支出", round(spent / 100, 2), "元"),
            Metric("granted_this_month", "本月发放", round((month["granted"] or 0) / 100, 2), "元"),
            Metric("elders", "本月使用人数", month["elders"], "人"),
        ]
    )


@widget("care_alarms", "紧急呼叫与响应时长", order=39)
def alarms(scope: Scope) -> WidgetData | None:
    """Open alarms first (they need someone now), then the period's alarms and how fast they were answered."""
    start, end = scope.bounds()
    mine = Alarm.objects.filter(community_id__in=scope.community_ids)
    period = mine.filter(raised_at__gte=start, raised_at__lt=end)
    answered = period.filter(acknowledged_at__isnull=False)
    totals = mine.aggregate(  # 1 query
        open=Count("id", filter=Q(status=Alarm.Status.OPEN)),
        responding=Count("id", filter=Q(status__in=[Alarm.Status.ACKNOWLEDGED, Alarm.Status.ON_SITE])),
        period=Count("id", filter=Q(raised_at__gte=start, raised_at__lt=end)),
    )
    if not totals["open"] and not totals["responding"] and not totals["period"]:
        return None
    wait = answered.aggregate(avg=Avg(F("acknowledged_at") - F("raised_at")))["avg"]  # 1 query
    daily = period.annotate(day=TruncDate("raised_at")).order_by().values_list("day").annotate(n=Count("id"))  # 1
    by_outcome = dict(period.exclude(outcome="").order_by().values_list("outcome").annotate(n=Count("id")))  # 1
    return WidgetData(
        metrics=[
            Metric("open", "待响应", totals["open"], "起"),
            Metric("responding", "处置中", totals["responding"], "起"),
            Metric("total", f"{scope.days}天呼叫", totals["period"], "起"),
            Metric(
                "average_ack_minutes",
                "平均响应时长",
                None if wait is None else round(wait.total_seconds() / 60, 1),
                "分钟",
            ),
        ],
        trend=Trend([("呼叫", daily_series(scope, daily))]),
        breakdown=[(label, by_outcome.get(value, 0)) for value, label in AlarmOutcome.choices],
        breakdown_title="处置结果",
    )
