"""What the market does when the payments platform reports an outcome (sent inside its transaction)."""

from django.dispatch import receiver

from linli.payments import signals
from merchants import services


@receiver(signals.payment_succeeded, dispatch_uid="merchants.payment_succeeded")
def payment_succeeded(sender, intent, **kwargs):
    if intent.purpose == services.ORDER_PURPOSE:
        services.on_payment_succeeded(intent)


@receiver(signals.payment_closed, dispatch_uid="merchants.payment_closed")
@receiver(signals.payment_failed, dispatch_uid="merchants.payment_failed")
def payment_ended(sender, intent, reason="", **kwargs):
    if intent.purpose == services.ORDER_PURPOSE:
        services.on_payment_ended(intent, reason)


@receiver(signals.refund_succeeded, dispatch_uid="merchants.refund_succeeded")
def refund_succeeded(sender, intent, refund, **kwargs):
    if intent.purpose == services.ORDER_PURPOSE:
        services.on_refund_succeeded(intent, refund)
