"""Every write of the payments platform, by subject:

* `intents` — create a payment intent (with its points and medical-insurance parts), prepare the
  mini-program's payment, close it unpaid;
* `parts` — create an intent with parts (several bills in one payment; a subsidy plus the rest online);
* `refunds` — refund a paid intent (per part for an intent with parts), apply a refund's outcome;
* `callbacks` — what providers say about payments (WeChat Pay and 医保 callbacks, queries, sandbox);
* `payscore` — Pay Score (支付分) contracts, two-step service orders and their callbacks;
* `med_ins` — the WeChat medical-insurance refunds that only the real provider needs;
* `errors` — the domain errors they raise.

Callers use the names below (`from linli.payments import services as payments`,
`payments.payment_intent_create(...)`); the modules' other names are internal.

Locking: each service locks the `PaymentIntent` row first (an owning app that also locks its own
row, e.g. an order, locks the intent *before* it, through `selectors.lock_intent`), so a callback,
the expiry job and a cancellation can never interleave on one payment. The outcome signals of
`linli.payments.signals` are sent inside that transaction.
"""

from linli.payments.services.callbacks import (
    payment_notification_handle,
    payment_sandbox_complete,
    wechat_notification_receive,
)
from linli.payments.services.errors import (
    AlreadyPaid,
    ContractRequired,
    InsuranceBalanceInsufficient,
    InvalidNotification,
    InvalidNotificationSignature,
    NotificationNotReady,
    PaymentExpired,
    PayScoreUnavailable,
    RefundExceedsPaid,
    WeChatLoginRequired,
)
from linli.payments.services.intents import (
    payment_intent_close,
    payment_intent_create,
    payment_intent_prepare,
    payment_intents_close_expired,
)
from linli.payments.services.med_ins import med_ins_refund_confirm, med_ins_refunds_sync
from linli.payments.services.parts import PartSpec, payment_intent_create_with_parts
from linli.payments.services.payscore import (
    contract_authorize_start,
    contract_sign_sandbox,
    contract_terminate,
    payscore_notification_receive,
    service_order_cancel,
    service_order_complete,
    service_order_create,
    service_orders_catch_up,
)
from linli.payments.services.refunds import refund_create, refund_notification_handle

__all__ = [
    "AlreadyPaid",
    "ContractRequired",
    "InsuranceBalanceInsufficient",
    "InvalidNotification",
    "InvalidNotificationSignature",
    "NotificationNotReady",
    "PartSpec",
    "PayScoreUnavailable",
    "PaymentExpired",
    "RefundExceedsPaid",
    "WeChatLoginRequired",
    "contract_authorize_start",
    "contract_sign_sandbox",
    "contract_terminate",
    "med_ins_refund_confirm",
    "med_ins_refunds_sync",
    "payment_intent_close",
    "payment_intent_create",
    "payment_intent_create_with_parts",
    "payment_intent_prepare",
    "payment_intents_close_expired",
    "payment_notification_handle",
    "payment_sandbox_complete",
    "payscore_notification_receive",
    "refund_create",
    "refund_notification_handle",
    "service_order_cancel",
    "service_order_complete",
    "service_order_create",
    "service_orders_catch_up",
    "wechat_notification_receive",
]
