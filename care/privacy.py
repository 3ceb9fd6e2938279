"""What home care keeps about a person: the care orders for them (and what they wrote), their subsidy
ledger, the visits to them, and — for care workers and visitors — their service records.

On erasure the orders, ledger and visits stay (the provider's accounts and the subsidy audit need
them) but what the person wrote is blanked. Photos a worker took at the elder's home are unlinked:
they show the person's home.
"""

from django.utils import timezone

from care.models import (
    Alarm,
    CareDevice,
    CareOrder,
    CareOrderHistory,
    CareOrderPhoto,
    Child,
    Enrolment,
    FeeBill,
    SubsidyEntry,
    Visit,
    VisitPlan,
)

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
        **_export_alarms_and_childcare(user),
    }


def anonymise(user) -> None:
    orders = CareOrder.objects.filter(elder=user)
    orders.update(note="", rating_comment="", service_note=ERASED, updated_at=timezone.now())
    CareOrderPhoto.objects.filter(order__in=orders).delete()
    CareOrder.objects.filter(placed_by=user).update(note="", rating_comment="", updated_at=timezone.now())
    CareOrderHistory.objects.filter(actor=user, order__elder=user).update(note="")
    Visit.objects.filter(elder=user).update(notes=ERASED, updated_at=timezone.now())
    VisitPlan.objects.filter(elder=user).update(note="", is_active=False, updated_at=timezone.now())
    _anonymise_alarms_and_childcare(user)


# --- 一键呼叫 and 托育 ----------------------------------------------------------------------------
# Alarms stay (the response record of an emergency) with their notes blanked; the person's devices
# are unbound. Children registered by the person lose their names and exact birthdays; their
# applications and paid bills stay for the 托育点's accounts.


def _export_alarms_and_childcare(user) -> dict:
    alarms = Alarm.objects.filter(elder=user).order_by("raised_at", "id")
    children = Child.objects.filter(parent=user).order_by("birth_date", "id")
    enrolments = Enrolment.objects.filter(child__parent=user).select_related("child", "klass").order_by("id")
    bills = FeeBill.objects.filter(parent=user).select_related("enrolment__child").order_by("month", "id")
    return {
        "alarms": [
            {
                "kind": a.kind,
                "status": a.status,
                "raised_at": _iso(a.raised_at),
                "press_count": a.press_count,
                "outcome": a.outcome,
                "outcome_note": a.outcome_note,
            }
            for a in alarms
        ],
        "children": [{"name": c.name, "birth_date": c.birth_date.isoformat()} for c in children],
        "childcare_enrolments": [
            {"child": e.child.name, "class": e.klass.name, "start_date": e.start_date.isoformat(), "status": e.status}
            for e in enrolments
        ],
        "childcare_bills": [
            {
                "child": b.enrolment.child.name,
                "month": b.month.isoformat(),
                "amount_fen": b.amount_fen,
                "status": b.status,
            }
            for b in bills
        ],
    }


def _anonymise_alarms_and_childcare(user) -> None:
    now = timezone.now()
    Alarm.objects.filter(elder=user).update(outcome_note="", updated_at=now)
    CareDevice.objects.filter(elder=user).update(is_active=False, note="", updated_at=now)
    for child in Child.objects.filter(parent=user):
        # The id keeps two erased siblings apart (a child's name and birthday are unique per parent).
        child.name, child.birth_date = f"{ERASED}{child.pk}", child.birth_date.replace(month=1, day=1)
        child.save(update_fields=["name", "birth_date", "updated_at"])
