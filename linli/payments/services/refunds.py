"""Refunds: give back (part of) a paid intent, and apply what the provider says about a refund
(its callback, or a query's answer)."""

import logging

from django.db import transaction
from django.db.models import Sum

from linli.api.errors import DomainError, InvalidTransition
from linli.payments.models import PaymentIntent, PaymentNotification, PaymentPart, Refund
from linli.payments.services._common import lock_intent, refund_fail, refund_start, refund_succeed
from linli.payments.services.errors import RefundExceedsPaid

logger = logging.getLogger(__name__)
Outcome = PaymentNotification.Outcome


@transaction.atomic
def refund_create(
    *, intent: PaymentIntent, amount_fen: int, reason: str, requested_by=None, part: PaymentPart | None = None
) -> Refund:
    """Give back `amount_fen` of a paid intent: cash first, then the insurance part, then points.
    Never more than is still refundable, and never more of a part than that part paid.

    An intent with parts is refunded per part (`part` required): never more than the part's remaining
    (`amount_fen - refunded_fen`). A provider part goes back through the provider; an app-settled part
    (e.g. a subsidy) succeeds at once, without the provider: the owner gives it back on refund_succeeded."""
    intent = lock_intent(intent)
    if intent.status != PaymentIntent.Status.SUCCEEDED:
        raise InvalidTransition("只有已支付的款项可以退款")
    if amount_fen <= 0:
        raise DomainError("退款金额必须大于 0", code="validation_error", fields={"amount_fen": ["必须大于 0"]})
    refundable = intent.amount_fen - intent.refunded_fen
    if amount_fen > refundable:
        raise RefundExceedsPaid(f"最多可退 {refundable / 100:.2f} 元")
    if part is not None or intent.parts.exists():
        return _refund_part(intent, part, amount_fen=amount_fen, reason=reason, requested_by=requested_by)
    taken = intent.refunds.exclude(status=Refund.Status.FAILED).aggregate(
        cash=Sum("cash_fen"), insurance=Sum("insurance_fen")
    )
    cash = min(amount_fen, intent.cash_fen - (taken["cash"] or 0))
    insurance = min(amount_fen - cash, intent.insurance_fen - (taken["insurance"] or 0))
    return refund_start(
        intent,
        cash=cash,
        insurance=insurance,
        points_fen=amount_fen - cash - insurance,
        reason=reason or "退款",
        requested_by=requested_by,
    )


def _refund_part(intent: PaymentIntent, part: PaymentPart | None, *, amount_fen: int, reason: str, requested_by):
    """A refund of one part of the locked `intent`; the part row is locked too (after the intent)."""
    if part is None:
        raise DomainError("该支付单含多项明细，请指定退款明细", code="validation_error", fields={"part": ["必填"]})
    part = PaymentPart.objects.select_for_update().filter(pk=part.pk, intent_id=intent.pk).first()
    if part is None:
        raise DomainError("该明细不属于这笔支付单", code="validation_error", fields={"part": ["不属于该支付单"]})
    if amount_fen > part.refundable_fen:
        raise RefundExceedsPaid(f"该明细最多可退 {part.refundable_fen / 100:.2f} 元")
    by_app = part.settlement == PaymentPart.Settlement.SETTLED_BY_APP
    return refund_start(
        intent,
        cash=0 if by_app else amount_fen,
        points_fen=0,
        settled_by_app=amount_fen if by_app else 0,
        part=part,
        reason=reason or "退款",
        requested_by=requested_by,
    )


@transaction.atomic
def refund_notification_handle(
    *,
    provider: str,
    event_type: str,
    out_refund_no: str,
    refund_status: str,
    provider_refund_id: str,
    amount_fen: int | None,
    notification_id: str = "",
    payload: dict | None = None,
) -> PaymentNotification:
    """Apply what a provider says about a refund (its callback, or a query's answer) to the refund's cash
    part. Idempotent: a repeated notification changes nothing."""

    def record(outcome: str, detail: str = "", out_trade_no: str = "") -> PaymentNotification:
        return PaymentNotification.objects.create(
            provider=provider,
            notification_id=notification_id[:64],
            event_type=event_type[:40],
            out_trade_no=out_trade_no,
            out_refund_no=out_refund_no[:64],
            outcome=outcome,
            detail=detail[:200],
            payload=payload or {},
        )

    found = Refund.objects.filter(out_refund_no=out_refund_no, intent__provider=provider).values_list("pk", "intent_id")
    if not found:
        logger.warning("refund notification for unknown out_refund_no %r (%s)", out_refund_no, provider)
        return record(Outcome.UNKNOWN)
    refund_pk, intent_pk = found[0]
    intent = lock_intent(PaymentIntent(pk=intent_pk))
    refund = Refund.objects.select_for_update().get(pk=refund_pk)
    if amount_fen != refund.cash_fen:
        logger.error(
            "refund %s: notified %s fen, expected %s fen: rejected", out_refund_no, amount_fen, refund.cash_fen
        )
        return record(
            Outcome.AMOUNT_MISMATCH, f"通知金额 {amount_fen} 分，应为 {refund.cash_fen} 分", intent.out_trade_no
        )
    if refund.status != Refund.Status.PENDING:
        return record(Outcome.DUPLICATE, out_trade_no=intent.out_trade_no)
    if provider_refund_id:
        refund.provider_refund_id = provider_refund_id
        refund.save(update_fields=["provider_refund_id", "updated_at"])
    if refund_status == "SUCCESS":
        refund_succeed(refund, intent)
    elif refund_status in ("CLOSED", "ABNORMAL"):
        refund_fail(refund, intent, f"退款{refund_status}")
    else:
        return record(Outcome.IGNORED, f"refund_status {refund_status}", intent.out_trade_no)
    return record(Outcome.APPLIED, out_trade_no=intent.out_trade_no)
