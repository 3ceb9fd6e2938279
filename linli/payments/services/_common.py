"""What several payment services share (internal to `linli.payments.services`): merchant-side
numbers, the provider-outage error, the intent lock, and the steps that settle an intent or a refund
and send its outcome signal (`linli.payments.signals`) inside the caller's transaction."""

import logging
import secrets

from django.utils import timezone

from linli.api.errors import UpstreamError
from linli.payments import signals
from linli.payments.models import PaymentIntent, PaymentPart, Refund
from linli.payments.providers import get_provider
from linli.payments.providers.base import ProviderError
from linli.points import services as points

logger = logging.getLogger(__name__)


def new_number(prefix: str) -> str:
    """A merchant-side number: 2 letters + local time + 12 random hex = 28 characters (WeChat allows 32)."""
    return f"{prefix}{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(6)}"


def upstream_error(exc: ProviderError) -> UpstreamError:
    logger.warning("payment provider error: %s (%s)", exc, exc.code)
    return UpstreamError(f"支付通道暂时不可用：{exc}")


def lock_intent(intent: PaymentIntent) -> PaymentIntent:
    """Lock `intent` (with its payer) first, before anything else of the payment."""
    return PaymentIntent.objects.select_for_update().select_related("payer").get(pk=intent.pk)


# --- how an intent ends -------------------------------------------------------------------


def parts_of(intent: PaymentIntent) -> list[PaymentPart]:
    """The intent's parts in order ([] for a single-purpose intent), as the outcome signals carry them."""
    return list(PaymentPart.objects.filter(intent_id=intent.pk).order_by("id"))


def intent_succeed(intent: PaymentIntent, *, transaction_id: str) -> None:
    """The locked `intent` is paid in full: payment_succeeded."""
    intent.status = PaymentIntent.Status.SUCCEEDED
    intent.paid_at = timezone.now()
    intent.provider_transaction_id = transaction_id
    intent.save(update_fields=["status", "paid_at", "provider_transaction_id", "updated_at"])
    signals.payment_succeeded.send(sender=PaymentIntent, intent=intent, parts=parts_of(intent))


def _return_points(intent: PaymentIntent) -> None:
    if intent.points_fen:
        points.refund(
            user=intent.payer,
            amount=intent.points_fen,
            reason=f"支付未完成，积分退回：{intent.description}"[:100],
            idempotency_key=f"payment:{intent.out_trade_no}:return",
            source=intent,
        )


def _return_insurance(intent: PaymentIntent) -> None:
    if intent.insurance_fen:
        get_provider(intent.provider).insurance_release(intent)


def intent_end_unpaid(intent: PaymentIntent, status: str, reason: str) -> None:
    """The locked `intent` ends unpaid (`failed` or `closed`): points and insurance go back, then the signal."""
    _return_points(intent)
    _return_insurance(intent)
    intent.status = status
    intent.closed_at = timezone.now()
    intent.failure_reason = reason[:200]
    intent.save(update_fields=["status", "closed_at", "failure_reason", "updated_at"])
    signal = signals.payment_failed if status == PaymentIntent.Status.FAILED else signals.payment_closed
    signal.send(sender=PaymentIntent, intent=intent, reason=reason, parts=parts_of(intent))


# --- how a refund goes ---------------------------------------------------------------------


def refund_start(
    intent: PaymentIntent,
    *,
    cash: int,
    points_fen: int,
    reason: str,
    requested_by,
    insurance: int = 0,
    part: PaymentPart | None = None,
    settled_by_app: int = 0,
) -> Refund:
    """A refund of these shares of the locked, paid `intent` (of its locked `part`, if given): points-only and
    app-settled ones succeed at once, the others go to the provider, which may answer at once or later
    (through `refunds.refund_notification_handle`)."""
    refund = Refund.objects.create(
        intent=intent,
        part=part,
        amount_fen=cash + points_fen + insurance + settled_by_app,
        cash_fen=cash,
        points_fen=points_fen,
        insurance_fen=insurance,
        settled_by_app_fen=settled_by_app,
        reason=reason[:80],
        out_refund_no=new_number("LR"),
        requested_by=requested_by,
    )
    intent.refunded_fen += refund.amount_fen
    intent.save(update_fields=["refunded_fen", "updated_at"])
    if part is not None:
        part.refunded_fen += refund.amount_fen
        part.save(update_fields=["refunded_fen", "updated_at"])
    if not cash and not insurance:
        refund_succeed(refund, intent)
        return refund
    try:
        result = get_provider(intent.provider).refund(refund)
    except ProviderError as exc:
        raise upstream_error(exc) from None
    refund.provider_refund_id = result.provider_refund_id
    refund.save(update_fields=["provider_refund_id", "updated_at"])
    if result.status == "succeeded":
        refund_succeed(refund, intent)
    elif result.status == "failed":
        refund_fail(refund, intent, result.detail or "退款失败")
    return refund


def refund_succeed(refund: Refund, intent: PaymentIntent) -> None:
    """The refund reached the payer (its points part is given back now): refund_succeeded."""
    if refund.points_fen:
        points.refund(
            user=intent.payer,
            amount=refund.points_fen,
            reason=f"退款：{intent.description}"[:100],
            idempotency_key=f"refund:{refund.out_refund_no}:points",
            source=refund,
        )
    refund.status = Refund.Status.SUCCEEDED
    refund.succeeded_at = timezone.now()
    refund.save(update_fields=["status", "succeeded_at", "updated_at"])
    signals.refund_succeeded.send(sender=PaymentIntent, refund=refund, intent=intent, part=refund.part)


def refund_fail(refund: Refund, intent: PaymentIntent, reason: str) -> None:
    """The provider could not refund: the amount is refundable again; refund_failed."""
    logger.error("refund %s failed at the provider: %s", refund.out_refund_no, reason)
    refund.status = Refund.Status.FAILED
    refund.save(update_fields=["status", "updated_at"])
    intent.refunded_fen -= refund.amount_fen
    intent.save(update_fields=["refunded_fen", "updated_at"])
    if refund.part_id:  # every change of a part's refunded_fen happens under the intent's lock
        refund.part.refunded_fen -= refund.amount_fen
        refund.part.save(update_fields=["refunded_fen", "updated_at"])
    signals.refund_failed.send(sender=PaymentIntent, refund=refund, intent=intent, reason=reason, part=refund.part)
