"""What 医保到家 contributes to the staff console: policy pushes and insurance applications."""

from health import selectors
from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, widget


@widget("health", "医保到家", order=40)
def health(scope: Scope) -> WidgetData:
    start, end = scope.bounds()
    ids = scope.community_ids
    pushes = daily_series(
        scope, [(r["day"], r["n"]) for r in selectors.policy_pushes_by_day(community_ids=ids, start=start, end=end)]
    )  # 1 query
    rows = list(selectors.insurance_applications_by_day(community_ids=ids, start=start, end=end))  # 1 query
    filed = daily_series(scope, [(r["day"], r["filed"]) for r in rows])
    queue = selectors.insurance_queue(community_ids=ids)  # 1 query
    return WidgetData(
        metrics=[
            Metric("pending", "待审核医保申请", queue["submitted"], "件"),
            Metric("needs_info", "待补材料", queue["needs_info"], "件"),
            Metric("applications", f"{scope.days}天医保申请", int(sum(filed)), "件"),
            Metric("approved", f"{scope.days}天已通过", sum(r["approved"] for r in rows), "件"),
            Metric("pushes", f"{scope.days}天政策推送", int(sum(pushes)), "次"),
        ],
        trend=Trend([("医保申请", filed), ("政策推送", pushes)]),
    )
