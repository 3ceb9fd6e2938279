"""The points ledger is a user's data: exported in full, with their redemptions and the manual
adjustments made to their account. It is a ledger, so erasure keeps it (balance and entries stay
consistent, pointing at the anonymised account); reasons name what was earned or bought, never the
person (a staff member's adjustment reason is about the act)."""

from django.utils import timezone

from linli.points.models import ManualAdjustment, PointsAccount, PointsEntry, Redemption


def _at(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def export(user) -> dict:
    account = PointsAccount.objects.filter(user=user).first()
    entries = PointsEntry.objects.filter(account__user=user).order_by("created_at", "id")
    redemptions = Redemption.objects.filter(user=user).select_related("item").order_by("created_at", "id")
    adjustments = ManualAdjustment.objects.filter(user=user).order_by("created_at", "id")
    return {
        "balance": account.balance if account else 0,
        "entries": [
            {
                "amount": entry.amount,
                "balance_after": entry.balance_after,
                "reason": entry.reason,
                "at": _at(entry.created_at),
            }
            for entry in entries
        ],
        "redemptions": [
            {
                "item": r.item.name,
                "points": r.points,
                "code": r.code,
                "status": r.status,
                "at": _at(r.created_at),
                "verified_at": _at(r.verified_at),
                "cancelled_at": _at(r.cancelled_at),
            }
            for r in redemptions
        ],
        "adjustments": [{"amount": a.amount, "reason": a.reason, "at": _at(a.created_at)} for a in adjustments],
    }
