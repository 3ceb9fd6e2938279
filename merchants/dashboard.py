"""What merchants contributes to the staff console: market sales and orders, and 共富度's local sales."""

from linli.console.registry import Metric, Scope, Trend, WidgetData, daily_series, index_component, widget
from merchants import selectors


@widget("market", "市集销售", order=30)
def market(scope: Scope) -> WidgetData:
    ids = scope.community_ids
    rows = list(selectors.market_sales_by_day(community_ids=ids, date_from=scope.start, date_to=scope.end))  # 1
    waiting = selectors.orders_waiting(community_ids=ids)  # 1 query
    orders = daily_series(scope, [(r["day"], r["orders"]) for r in rows])
    sales_yuan = daily_series(scope, [(r["day"], (r["gross_fen"] or 0) / 100) for r in rows])
    gross = sum(r["gross_fen"] or 0 for r in rows)
    refunded = sum(r["refunded_fen"] or 0 for r in rows)
    return WidgetData(
        metrics=[
            Metric("orders_today", "今日订单", int(orders[-1]), "单"),
            Metric("sales_today_yuan", "今日销售额", round(sales_yuan[-1], 2), "元"),
            Metric("orders", f"{scope.days}天订单", int(sum(orders)), "单"),
            Metric("gross_yuan", f"{scope.days}天销售额", round(gross / 100, 2), "元"),
            Metric("net_yuan", f"{scope.days}天净销售额", round((gross - refunded) / 100, 2), "元"),
            Metric("to_fulfil", "待履约订单", waiting["to_fulfil"], "单"),
            Metric("under_review", "待人工核对", waiting["under_review"], "单"),
        ],
        trend=Trend([("订单数", orders), ("销售额（元）", sales_yuan)]),
    )


@index_component("local_sales")
def local_sales(scope: Scope) -> dict[int, float | None]:
    """Net local market sales in yuan per community (共富度 divides by households)."""
    fen = selectors.market_sales_by_community(
        community_ids=scope.community_ids, date_from=scope.start, date_to=scope.end
    )
    return {community_id: value / 100 for community_id, value in fen.items()}
