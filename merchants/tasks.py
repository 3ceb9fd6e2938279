"""Celery tasks of the market: thin wrappers; each service re-checks under its lock before acting."""

from celery import shared_task


@shared_task(name="merchants.tasks.expire_invitations")
def expire_invitations() -> int:
    """Mark member invitations past their expiry as expired (idempotent)."""
    from merchants.services import merchant_invitations_expire_due

    return merchant_invitations_expire_due()
