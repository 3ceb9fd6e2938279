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

* payment_succeeded(intent)             — the whole amount is paid (cash and points).
* payment_failed(intent, reason)        — the provider reported a failed payment; points were returned.
* payment_closed(intent, reason)        — closed unpaid (expired, or closed by the owner); points returned.
* refund_succeeded(refund, intent)      — a refund reached the payer.
* refund_failed(refund, intent, reason) — the provider could not refund; the amount is refundable again.
"""

from django.dispatch import Signal

payment_succeeded = Signal()
payment_failed = Signal()
payment_closed = Signal()
refund_succeeded = Signal()
refund_failed = Signal()
