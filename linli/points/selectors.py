from django.db.models import QuerySet

from linli.accounts.models import User
from linli.points.models import PointsAccount, PointsEntry


def balance_of(user: User) -> int:
    """The user's balance (0 before their first movement)."""
    if not user.is_authenticated:
        return 0
    return PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def entries_of(user: User) -> QuerySet[PointsEntry]:
    """A user's own ledger entries, newest first; nobody else's are visible."""
    if not user.is_authenticated:
        return PointsEntry.objects.none()
    return PointsEntry.objects.filter(account__user=user).order_by("-created_at", "-id")
