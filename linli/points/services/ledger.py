"""`award()` and `spend()` — what other apps call (events award attendance, the market spends).

Both lock the account row, so concurrent calls serialise on it; both are idempotent by key,
so a retried task or a duplicated request never moves points twice.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from linli.api.errors import ConflictError
from linli.points.models import PointsAccount, PointsEntry


class InsufficientPoints(ConflictError):
    code = "insufficient_points"
    default_message = "积分不足"


def lock_account(user) -> PointsAccount:
    """The user's account row, created if need be and locked until the transaction ends."""
    PointsAccount.objects.get_or_create(user=user)
    return PointsAccount.objects.select_for_update().get(user=user)


def _move(*, user, amount: int, reason: str, source, idempotency_key: str) -> PointsEntry:
    with transaction.atomic():
        account = lock_account(user)
        existing = PointsEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        if account.balance + amount < 0:
            raise InsufficientPoints(f"积分不足：需要 {-amount}，当前 {account.balance}")
        account.balance += amount
        account.save(update_fields=["balance", "updated_at"])
        return PointsEntry.objects.create(
            account=account,
            amount=amount,
            balance_after=account.balance,
            reason=reason,
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=source.pk if source is not None else None,
            idempotency_key=idempotency_key,
        )


def award(*, user, amount: int, reason: str, idempotency_key: str, source=None) -> PointsEntry:
    if amount <= 0:
        raise ValueError("award amount must be positive")
    return _move(user=user, amount=amount, reason=reason, source=source, idempotency_key=idempotency_key)


def spend(*, user, amount: int, reason: str, idempotency_key: str, source=None) -> PointsEntry:
    if amount <= 0:
        raise ValueError("spend amount must be positive")
    return _move(user=user, amount=-amount, reason=reason, source=source, idempotency_key=idempotency_key)


def refund(*, user, amount: int, reason: str, idempotency_key: str, source=None) -> PointsEntry:
    """Give back points spent earlier (a cancelled order). Same as award, named for the ledger."""
    return award(user=user, amount=amount, reason=reason, idempotency_key=idempotency_key, source=source)
