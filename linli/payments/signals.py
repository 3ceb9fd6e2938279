"""How the app that owns a payment hears its outcome, without the platform importing it.

Each signal is sent with `sender=PaymentIntent` *inside* the transaction that changed the intent
(the intent row is locked), so the owner's reaction commits or rolls back together with it.
Receivers filter on `intent.purpose`. How an app plugs in: its receivers live in
`<app>/receivers.py` and its `AppConfig.ready()` imports that module (nowhere else does):

    # merchants/receivers.py
    @receiver(payment_succeeded)
    def on_paid(sender, intent, **kwargs):
        if intent.purpose == "merchants.order": ...

    # merchants/apps.py
    def ready(self):
        from merchants import receivers  # noqa: F401  (payment outcomes)

* payment_succeeded(intent, parts)             — the whole amount is paid (cash and points).
* payment_failed(intent, reason, parts)        — the provider reported a failed payment; points were returned.
* payment_closed(intent, reason, parts)        — closed unpaid (expired, or closed by the owner); points returned.
* refund_succeeded(refund, intent, part)       — a refund of `refund.amount_fen` reached the payer.
* refund_failed(refund, intent, reason, part)  — the provider could not refund; the amount is refundable again.

`parts` is the intent's list of `PaymentPart`s ([] for a single-purpose intent); `part` is the part a
refund gave back (None for a single-purpose intent, and for the automatic refund of money that arrived
after the intent had closed). An app-settled part (`settled_by_app`, e.g. a
subsidy) is the owner's to give back: on payment_failed / payment_closed for the parts, on
refund_succeeded for `refund.amount_fen` of the part (`refund.settled_by_app_fen`). Each is sent once
per outcome: a repeated provider notification sends nothing.
"""

from django.dispatch import Signal

payment_succeeded = Signal()
payment_failed = Signal()
payment_closed = Signal()
refund_succeeded = Signal()
refund_failed = Signal()
