"""Collection statistics (收缴率): billed, collected and owed per estate and month.

The staff API (`GET /api/v1/staff/property/stats/`) and the console widgets read the same function,
so the two always show the same numbers:

* billed (应收) — the bills of the month, at their current amount, except waived ones;
* collected (实收) — what was received for them, less what was refunded;
* arrears (欠费) — the unpaid bills' amount;
* rate (收缴率) — collected / billed, None when nothing was billed.
"""

from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from property.models import Bill

_COLLECTED = Q(status__in=Bill.COLLECTED_STATUSES)


def collection_rows(*, scope: Q, period_from: date, period_to: date) -> list[dict]:
    """One row per estate and month in [period_from, period_to] (first days of months) with bills in
    `scope` (a filter over Bill, e.g. `staff_scope(user)` or `Q(community_id__in=…)`); one query."""
    rows = (
        Bill.objects.filter(scope, period__gte=period_from, period__lte=period_to)
        .values("estate_id", "estate__name", "period")
        .annotate(
            bill_count=Count("id"),
            billed_fen=Sum("amount_fen", filter=~Q(status=Bill.Status.WAIVED), default=0),
            collected_fen=Sum(
                Case(When(_COLLECTED, then=F("amount_fen") - F("refunded_fen")), default=Value(0)),
                output_field=IntegerField(),
                default=0,
            ),
            arrears_fen=Sum("amount_fen", filter=Q(status=Bill.Status.UNPAID), default=0),
            waived_fen=Sum("amount_fen", filter=Q(status=Bill.Status.WAIVED), default=0),
        )
        .order_by("period", "estate__name", "estate_id")
    )
    return [{**row, "rate": rate(row["collected_fen"], row["billed_fen"])} for row in rows]


def totals(rows: list[dict]) -> dict:
    """The rows added up (all estates and months of a query), with the overall rate."""
    keys = ("bill_count", "billed_fen", "collected_fen", "arrears_fen", "waived_fen")
    summed = {key: sum(row[key] for row in rows) for key in keys}
    return {**summed, "rate": rate(summed["collected_fen"], summed["billed_fen"])}


def rate(collected_fen: int, billed_fen: int) -> float | None:
    """Collected / billed as a fraction rounded to 4 places (so 0.8734 → 87.34 %); None without bills."""
    return round(collected_fen / billed_fen, 4) if billed_fen else None
