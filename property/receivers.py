"""Payment outcomes of bills paid online (`purpose="property.bills"`, one part per bill)."""

from django.dispatch import receiver

from linli.payments import signals
from property.services import bills

PURPOSE = bills.PURPOSE


@receiver(signals.payment_succeeded, dispatch_uid="property.payment_succeeded")
def paid(sender, intent, parts, **kwargs):
    if intent.purpose == PURPOSE:
        bills.bills_mark_paid(intent=intent, parts=parts)


@receiver(signals.payment_closed, dispatch_uid="property.payment_closed")
@receiver(signals.payment_failed, dispatch_uid="property.payment_failed")
def ended_unpaid(sender, intent, **kwargs):
    if intent.purpose == PURPOSE:
        bills.bills_release(intent=intent)


@receiver(signals.refund_succeeded, dispatch_uid="property.refund_succeeded")
def refunded(sender, intent, refund, part, **kwargs):
    if intent.purpose == PURPOSE and part is not None:
        bills.bill_refunded(
            bill_id=int(part.reference),
            intent=intent,
            amount_fen=refund.amount_fen,
            note=refund.reason,
            actor=refund.requested_by,
        )
