"""The points ledger is a user's data: exported in full. It is a ledger, so erasure keeps it
(balance and entries stay consistent, pointing at the anonymised account); reasons name what was
earned or bought, never the person."""

from django.utils import timezone

from linli.points.models import PointsAccount, PointsEntry


def export(user) -> dict:
    account = PointsAccount.objects.filter(user=user).first()
    entries = PointsEntry.objects.filter(account__user=user).order_by("created_at", "id")
    return {
        "balance": account.balance if account else 0,
        "entries": [
            {
                "amount": entry.amount,
                "balance_after": entry.balance_after,
                "reason": entry.reason,
                "at": timezone.localtime(entry.created_at).isoformat(),
            }
            for entry in entries
        ],
    }
