"""What home care keeps about a person: the care orders for them (and what they wrote), their subsidy
ledger, the visits to them, and — for care workers and visitors — their service records.

On erasure the orders, ledger and visits stay (the provider's accounts and the subsidy audit need
them) but what the person wrote is blanked. Photos a worker took at the elder's home are unlinked:
they show the person's home.
"""

from django.utils import timezone

from care.models import CareOrder, CareOrderHistory, CareOrderPhoto, SubsidyEntry, Visit, VisitPlan

ERASED = "（用户已注销）"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    orders = (
        CareOrder.objects.filter(elder=user)
        .select_related("service", "provider", "room__building__estate")
        .order_by("created_at")
    )
    entries = SubsidyEntry.objects.filter(account__elder=user).order_by("created_at", "id")
    visits = Visit.objects.filter(elder=user).select_related("visitor").order_by("date", "id")
    return {
        "care_orders": [
            {
                "number": o.number,
                "service": o.service.name,
                "provider": o.provider.name,
                "home": str(o.room),
                "scheduled_start": _iso(o.scheduled_start),
                "note": o.note,
                "price_fen": o.price_fen,
                "subsidy_fen": o.subsidy_fen,
                "cash_fen": o.cash_fen,
                "status": o.status,
                "service_note": o.service_note,
                "rating": o.rating,
                "rating_comment": o.rating_comment,
                "created_at": _iso(o.created_at),
            }
            for o in orders
        ],
        "subsidy_entries": [
            {
                "kind": e.kind,
                "amount_fen": e.amount_fen,
                "balance_after_fen": e.balance_after_fen,
                "at": _iso(e.created_at),
            }
            for e in entries
        ],
        "visits": [{"date": v.date.isoformat(), "status": v.status, "notes": v.notes} for v in visits],
        "orders_served": list(CareOrder.objects.filter(worker=user).values_list("number", flat=True)),
        "visits_made": Visit.objects.filter(visitor=user).count(),
    }


def anonymise(user) -> None:
    orders = CareOrder.objects.filter(elder=user)
    orders.update(note="", rating_comment="", service_note=ERASED, updated_at=timezone.now())
    CareOrderPhoto.objects.filter(order__in=orders).delete()
    CareOrder.objects.filter(placed_by=user).update(note="", rating_comment="", updated_at=timezone.now())
    CareOrderHistory.objects.filter(actor=user, order__elder=user).update(note="")
    Visit.objects.filter(elder=user).update(notes=ERASED, updated_at=timezone.now())
    VisitPlan.objects.filter(elder=user).update(note="", is_active=False, updated_at=timezone.now())
