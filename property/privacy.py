"""What the property app keeps about a person: the receipts they paid (with the payer's name), the
vehicles they registered, the bill and vehicle steps they took, and the visitor passes they issued.

On erasure the bills, receipts and vehicles stay: they are the household's and the property's
accounts, not the person's. The payer's name on their receipts is blanked and their own notes on
bill steps go; a vehicle stays registered to its room (the household still parks it). Their visitor
passes stop opening the gate, and the visitors' names, phones and plates they typed in are blanked on
the passes and in the entry log (the log keeps when the gate opened, not for whom).
"""

from django.utils import timezone

from property.models import BillHistory, GateEntry, PlateRead, Receipt, Vehicle, VehicleHistory, VisitorPass

ERASED = "（用户已注销）"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    receipts = Receipt.objects.filter(payer=user).select_related("community").order_by("created_at", "id")
    vehicles = Vehicle.objects.filter(registered_by=user).select_related("room__building__estate").order_by("id")
    bill_steps = BillHistory.objects.filter(actor=user).order_by("created_at", "id")
    vehicle_steps = VehicleHistory.objects.filter(actor=user).order_by("created_at", "id")
    passes = VisitorPass.objects.filter(host=user).select_related("room__building__estate").order_by("id")
    return {
        "receipts": [
            {
                "number": r.number,
                "community": r.community.name,
                "payer_name": r.payer_name,
                "method": r.method,
                "amount_fen": r.amount_fen,
                "at": _iso(r.created_at),
            }
            for r in receipts
        ],
        "vehicles": [
            {"plate": v.plate, "description": v.description, "room": str(v.room), "status": v.status} for v in vehicles
        ],
        "bill_steps": [
            {"bill": s.bill_id, "action": s.action, "note": s.note, "at": _iso(s.created_at)} for s in bill_steps
        ],
        "vehicle_steps": [
            {"vehicle": s.vehicle_id, "action": s.action, "note": s.note, "at": _iso(s.created_at)}
            for s in vehicle_steps
        ],
        "visitor_passes": [
            {
                "room": str(p.room),
                "visitor_name": p.visitor_name,
                "visitor_phone": p.visitor_phone,
                "plate": p.plate,
                "valid_from": _iso(p.valid_from),
                "valid_until": _iso(p.valid_until),
                "entries_allowed": p.entries_allowed,
                "entries_used": p.entries_used,
                "revoked_at": _iso(p.revoked_at),
            }
            for p in passes
        ],
    }


def anonymise(user) -> None:
    Receipt.objects.filter(payer=user).update(payer_name=ERASED, updated_at=timezone.now())
    Vehicle.objects.filter(registered_by=user).update(description="", updated_at=timezone.now())
    # Staff keep their notes on others' bills (the property's record); a resident's own notes go.
    BillHistory.objects.filter(actor=user, bill__receipt__payer=user).update(note="")
    VehicleHistory.objects.filter(actor=user, vehicle__registered_by=user).update(note="")
    passes = VisitorPass.objects.filter(host=user)
    passes.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    passes.update(visitor_name=ERASED, visitor_phone="", plate="")
    GateEntry.objects.filter(visitor_pass__in=passes).update(visitor_name=ERASED, visitor_phone="", plate="")
    PlateRead.objects.filter(entry__visitor_pass__in=passes).update(plate="")
