"""What health does when the payments platform reports an outcome (sent inside its transaction)."""

from django.dispatch import receiver

from health.services import dispensing
from linli.payments import signals


@receiver(signals.payment_succeeded, dispatch_uid="health.payment_succeeded")
def payment_succeeded(sender, intent, **kwargs):
    if intent.purpose == dispensing.PURPOSE:
        dispensing.on_payment_succeeded(intent)


@receiver(signals.payment_closed, dispatch_uid="health.payment_closed")
@receiver(signals.payment_failed, dispatch_uid="health.payment_failed")
def payment_ended(sender, intent, reason="", **kwargs):
    if intent.purpose == dispensing.PURPOSE:
        dispensing.on_payment_ended(intent, reason)


@receiver(signals.refund_succeeded, dispatch_uid="health.refund_succeeded")
def refund_succeeded(sender, intent, refund, **kwargs):
    if intent.purpose == dispensing.PURPOSE:
        dispensing.on_refund_succeeded(intent, refund)
