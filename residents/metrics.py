"""Work-order counters for /metrics (linli.observability): opened, closed (办结) and cancelled.

Counted when the transaction that made the change commits, so a rolled-back submission counts nothing.
"""

from django.db import transaction

from linli.observability.metrics import Counter

WORK_ORDERS = Counter("linli_work_orders_total", "Work orders opened, closed and cancelled", ["event", "kind"])


def count_work_order(event: str, kind: str) -> None:
    transaction.on_commit(lambda: WORK_ORDERS.labels(event, kind).inc())
