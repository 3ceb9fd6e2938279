"""What residents contributes to the staff console: the work-order widget, 响应力 and 满意度."""

from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, index_component, widget
from residents import selectors
from residents.models import WorkOrder


@widget("work_orders", "报修工单", order=10)
def work_orders(scope: Scope) -> WidgetData:
    start, end = scope.bounds()
    totals = selectors.work_order_totals(community_ids=scope.community_ids, start=start, end=end)  # 1 query
    rows = list(selectors.work_orders_by_day(community_ids=scope.community_ids, start=start, end=end))  # 1 query
    created = daily_series(scope, [(r["day"], r["created"]) for r in rows])
    on_time = daily_series(scope, [(r["day"], r["on_time"]) for r in rows])
    rate = totals["on_time_rate"]
    by_status = totals["by_status"]
    return WidgetData(
        metrics=[
            Metric("today", "今日新建", int(created[-1]), "单"),
            Metric("total", f"{scope.days}天工单", totals["total"], "单"),
            Metric("open", "未办结", sum(by_status[s] for s in WorkOrder.OPEN_STATUSES), "单"),
            Metric("on_time_rate", "按时办结率", None if rate is None else round(rate * 100, 1), "%"),
            Metric("average_rating", "平均评分", totals["average_rating"], "分"),
        ],
        trend=Trend([("新建", created), ("按时办结", on_time)]),
        breakdown=[(label, by_status[value]) for value, label in WorkOrder.Status.choices],
        breakdown_title="按状态",
    )


@index_component("response")
def response(scope: Scope) -> dict[int, float | None]:
    start, end = scope.bounds()
    return selectors.work_order_response_by_community(community_ids=scope.community_ids, start=start, end=end)


@index_component("satisfaction")
def satisfaction(scope: Scope) -> dict[int, float | None]:
    start, end = scope.bounds()
    return selectors.work_order_satisfaction_by_community(community_ids=scope.community_ids, start=start, end=end)
