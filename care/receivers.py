"""What home care does when the payments platform reports an outcome (sent inside its transaction)."""

from django.dispatch import receiver

from care import services
from care.services import childcare
from linli.payments import signals


@receiver(signals.payment_succeeded, dispatch_uid="care.payment_succeeded")
def payment_succeeded(sender, intent, **kwargs):
    if intent.purpose == services.PURPOSE:
        services.on_payment_succeeded(intent)
    elif intent.purpose == childcare.FEE_PURPOSE:
        childcare.on_fee_paid(intent)


@receiver(signals.payment_closed, dispatch_uid="care.payment_closed")
@receiver(signals.payment_failed, dispatch_uid="care.payment_failed")
def payment_ended(sender, intent, reason="", parts=(), **kwargs):
    if intent.purpose == services.PURPOSE:
        services.on_payment_ended(intent, reason, parts)


@receiver(signals.refund_succeeded, dispatch_uid="care.refund_succeeded")
def refund_succeeded(sender, intent, refund, part=None, **kwargs):
    if intent.purpose == services.PURPOSE:
        services.on_refund_succeeded(intent, refund, part)
