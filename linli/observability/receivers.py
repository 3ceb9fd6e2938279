"""Business counters fed by the platform's signals (payments); Celery task outcomes are in celery.py."""

from django.db import transaction
from django.dispatch import receiver

from linli.observability.metrics import PAYMENTS
from linli.payments.signals import payment_failed, payment_succeeded


def _count(outcome: str, intent) -> None:
    method = getattr(intent, "method", "") or "unknown"
    # The signals are sent inside the transaction that changed the intent: count only what commits.
    transaction.on_commit(lambda: PAYMENTS.labels(outcome=outcome, method=method).inc())


@receiver(payment_succeeded, dispatch_uid="observability.payment_succeeded")
def count_payment_succeeded(sender, intent, **kwargs):
    _count("succeeded", intent)


@receiver(payment_failed, dispatch_uid="observability.payment_failed")
def count_payment_failed(sender, intent, **kwargs):
    _count("failed", intent)
