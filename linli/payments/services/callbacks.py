"""What providers say about payments: WeChat Pay's payment, refund and medical-insurance callbacks,
queries and the sandbox all come through `payment_notification_handle` (refunds through
`refunds.refund_notification_handle`). Every notification is recorded as a `PaymentNotification`;
a repeated one changes nothing."""

import logging
import secrets

from django.conf import settings
from django.db import transaction

from linli.api.errors import ConflictError, NotFoundError
from linli.api.parsers import loads
from linli.payments.models import PaymentIntent, PaymentNotification, Provider, Refund
from linli.payments.providers import get_provider
from linli.payments.providers.base import TransactionState
from linli.payments.services._common import intent_end_unpaid, intent_succeed, refund_start
from linli.payments.services.errors import InvalidNotification, InvalidNotificationSignature
from linli.payments.services.refunds import refund_notification_handle

logger = logging.getLogger(__name__)
Outcome = PaymentNotification.Outcome


@transaction.atomic
def payment_notification_handle(
    *, provider: str, event_type: str, state: TransactionState, notification_id: str = ""
) -> PaymentNotification:
    """Apply what a provider says about a payment. Idempotent: a repeated notification changes nothing."""

    def record(outcome: str, detail: str = "") -> PaymentNotification:
        return PaymentNotification.objects.create(
            provider=provider,
            notification_id=notification_id[:64],
            event_type=event_type[:40],
            out_trade_no=state.out_trade_no[:64],
            outcome=outcome,
            detail=detail[:200],
            payload=state.payload,
        )

    intent = (
        PaymentIntent.objects.select_for_update()
        .select_related("payer")
        .filter(out_trade_no=state.out_trade_no, provider=provider)
        .first()
    )
    if intent is None:
        logger.warning("payment notification for unknown out_trade_no %r (%s)", state.out_trade_no, provider)
        return record(Outcome.UNKNOWN)
    if state.trade_state == "SUCCESS":
        if state.amount_fen != intent.cash_fen:
            logger.error(
                "payment %s: notified amount %s fen, expected %s fen: rejected",
                intent.out_trade_no,
                state.amount_fen,
                intent.cash_fen,
            )
            return record(Outcome.AMOUNT_MISMATCH, f"通知金额 {state.amount_fen} 分，应为 {intent.cash_fen} 分")
        if intent.status == PaymentIntent.Status.CREATED:
            intent_succeed(intent, transaction_id=state.transaction_id)
            return record(Outcome.APPLIED)
        if intent.status == PaymentIntent.Status.SUCCEEDED or (
            intent.provider_transaction_id and intent.provider_transaction_id == state.transaction_id
        ):
            return record(Outcome.DUPLICATE)
        # Paid after we closed it (or after a failure): the money goes straight back.
        logger.warning("payment %s: paid after it was %s, refunding", intent.out_trade_no, intent.status)
        intent.provider_transaction_id = state.transaction_id
        intent.save(update_fields=["provider_transaction_id", "updated_at"])
        refund_start(intent, cash=intent.cash_fen, points_fen=0, reason="订单已关闭，款项原路退回", requested_by=None)
        return record(Outcome.LATE_REFUNDED)
    if state.trade_state == "PAYERROR":
        if intent.status == PaymentIntent.Status.CREATED:
            intent_end_unpaid(intent, PaymentIntent.Status.FAILED, "支付失败")
            return record(Outcome.APPLIED)
        return record(Outcome.DUPLICATE if intent.status == PaymentIntent.Status.FAILED else Outcome.IGNORED)
    return record(Outcome.IGNORED, f"trade_state {state.trade_state}")


def payment_sandbox_complete(*, intent: PaymentIntent, succeed: bool = True) -> PaymentNotification:
    """Simulate the sandbox provider's callback (LINLI_SANDBOX only), through the real handler."""
    if not settings.LINLI_SANDBOX:
        raise NotFoundError()
    if intent.provider not in (Provider.SANDBOX, Provider.MED_INS_SANDBOX):
        raise ConflictError("该支付单不是沙箱支付", code="not_sandbox")
    state = TransactionState(
        out_trade_no=intent.out_trade_no,
        trade_state="SUCCESS" if succeed else "PAYERROR",
        transaction_id=f"sandbox-{intent.out_trade_no}",
        amount_fen=intent.cash_fen,
        payload={"simulated": True, "out_trade_no": intent.out_trade_no, "amount": {"total": intent.cash_fen}},
    )
    return payment_notification_handle(
        provider=intent.provider,
        event_type="TRANSACTION.SUCCESS" if succeed else "TRANSACTION.PAYERROR",
        state=state,
        notification_id=f"sandbox-{secrets.token_hex(8)}",
    )


def wechat_notification_receive(*, kind: str, headers, body: bytes) -> PaymentNotification:
    """A WeChat Pay callback: verify the signature, decrypt the resource, apply it. `kind`: payment, refund
    or med_ins (医保混合收款 result: the mixed order, whose mix_pay_status maps onto the payment handler's
    trade states, its wechat_pay_cash_fee checked against the cash part)."""
    from linli.payments.providers.wechat import transaction_state
    from linli.payments.providers.wechat_med_ins import mixed_order_state

    provider = get_provider(Provider.WECHAT_MED_INS if kind == "med_ins" else Provider.WECHAT_PAY)
    client = provider.client
    if not client.verify_headers(headers, body):
        logger.warning("wechatpay %s notification with an invalid signature rejected", kind)
        raise InvalidNotificationSignature()
    try:
        envelope = loads(body)  # bounded depth: a PayloadTooDeep is a ValueError here
        resource = client.decrypt(envelope.get("resource"))
    except (ValueError, AttributeError):
        logger.warning("wechatpay %s notification: resource could not be decrypted", kind)
        raise InvalidNotification() from None
    event_type = str(envelope.get("event_type", ""))
    notification_id = str(envelope.get("id", ""))
    if kind == "med_ins":
        return payment_notification_handle(
            provider=Provider.WECHAT_MED_INS,
            event_type=event_type,
            state=mixed_order_state(resource, out_trade_no=""),
            notification_id=notification_id,
        )
    if kind == "payment":
        return payment_notification_handle(
            provider=Provider.WECHAT_PAY,
            event_type=event_type,
            state=transaction_state(resource),
            notification_id=notification_id,
        )
    amount = resource.get("amount") if isinstance(resource.get("amount"), dict) else {}
    refunded = amount.get("refund")
    out_refund_no = str(resource.get("out_refund_no", ""))
    refund_status = str(resource.get("refund_status", ""))
    refund_provider = Provider.WECHAT_PAY
    owner = Refund.objects.filter(out_refund_no=out_refund_no).values_list("intent__provider", "insurance_fen").first()
    if owner and owner[0] == Provider.WECHAT_MED_INS:
        refund_provider = Provider.WECHAT_MED_INS  # the cash part of a mixed order's refund
        if owner[1] and refund_status == "SUCCESS":
            # Only the cash part: the insurance part is the 医保 platform's, med_ins.med_ins_refunds_sync completes it.
            refund_status = "CASH_PART_SUCCESS"
    return refund_notification_handle(
        provider=refund_provider,
        event_type=event_type,
        out_refund_no=out_refund_no,
        refund_status=refund_status,
        provider_refund_id=str(resource.get("refund_id", "")),
        amount_fen=refunded if isinstance(refunded, int) and not isinstance(refunded, bool) else None,
        notification_id=notification_id,
        payload=resource,
    )
