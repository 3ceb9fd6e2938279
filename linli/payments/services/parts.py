"""Intents with parts: one payment for several things (a resident's fee bills), or for one thing settled
in two ways (a care order: the subsidy first, the rest online).

A part is `provider` (charged through the intent's provider, e.g. WeChat Pay) or `settled_by_app`
(already settled by the owning app in the same transaction, e.g. it debited its allowance ledger; the
provider never sees it). The provider is charged the sum of the provider parts (`intent.cash_fen`);
an intent of app-settled parts only is paid at once. Refunds go per part (`refunds.refund_create`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from linli.api.errors import DomainError
from linli.api.idempotency import MAX_KEY_LENGTH, IdempotencyConflict
from linli.payments.models import PaymentIntent, PaymentPart, Provider
from linli.payments.providers import default_provider_name
from linli.payments.services._common import intent_succeed, new_number

Settlement = PaymentPart.Settlement


@dataclass(frozen=True)
class PartSpec:
    """One part of a new intent: the owner's object (`reference`, e.g. a bill id), what it is, how much,
    and how it is settled (`provider`, or `settled_by_app` when the owner settled it already)."""

    reference: str
    description: str
    amount_fen: int
    settlement: str = Settlement.PROVIDER


def _invalid(message: str) -> DomainError:
    return DomainError(message, code="validation_error", fields={"parts": [message]})


def _check(parts: Sequence[PartSpec]) -> None:
    if not parts:
        raise _invalid("至少需要一项明细")
    references = [str(part.reference) for part in parts]
    if any(not ref or len(ref) > 64 for ref in references):
        raise _invalid("明细的业务单号不能为空，且不超过 64 个字符")
    if len(set(references)) != len(references):
        raise _invalid("同一业务单号只能出现一次")
    for part in parts:
        if isinstance(part.amount_fen, bool) or not isinstance(part.amount_fen, int) or part.amount_fen <= 0:
            raise _invalid("明细金额必须是大于 0 的整数（分）")
        if part.settlement not in Settlement.values:
            raise _invalid(f"未知的结算方式 {part.settlement}")


def _same_request(intent: PaymentIntent, *, purpose: str, reference: str, parts: Sequence[PartSpec]) -> bool:
    stored = [(p.reference, p.description, p.amount_fen, p.settlement) for p in intent.parts.order_by("id")]
    asked = [(str(p.reference), p.description[:127], p.amount_fen, str(p.settlement)) for p in parts]
    return intent.purpose == purpose and intent.reference == reference and stored == asked


@transaction.atomic
def payment_intent_create_with_parts(
    *,
    payer,
    purpose: str,
    parts: Sequence[PartSpec],
    reference: str = "",
    description: str = "",
    ttl: timedelta | None = None,
    idempotency_key: str = "",
) -> PaymentIntent:
    """One intent that pays every part in `parts` (its amount is their sum). The provider is asked for
    the provider parts only; app-settled parts were settled by the caller in this transaction. With no
    provider part the intent is paid at once (payment_succeeded is sent before this returns).

    Points and medical-insurance shares are not combined with parts (use `payment_intent_create`).

    `idempotency_key` (e.g. the request's Idempotency-Key, or `care-order:<id>`): the same key of the
    same payer with the same request returns the first intent, with `intent.replayed = True` — the
    caller must not settle its app-settled parts again then; with another request, 409
    `idempotency_conflict`.
    """
    _check(parts)
    reference = str(reference or ",".join(str(p.reference) for p in parts))[:64]
    if not description:
        description = parts[0].description if len(parts) == 1 else f"{parts[0].description}等 {len(parts)} 项"
    if len(idempotency_key) > MAX_KEY_LENGTH:
        raise DomainError(f"幂等键不能超过 {MAX_KEY_LENGTH} 个字符", code="validation_error")
    if idempotency_key:
        existing = PaymentIntent.objects.filter(payer=payer, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, purpose=purpose, reference=reference, parts=parts)

    amount = sum(part.amount_fen for part in parts)
    by_app = sum(part.amount_fen for part in parts if part.settlement == Settlement.SETTLED_BY_APP)
    if amount > by_app:
        method, provider = PaymentIntent.Method.WECHAT_PAY, default_provider_name()
    else:
        method, provider = PaymentIntent.Method.SETTLED_BY_APP, Provider.SETTLED_BY_APP
    ttl = ttl if ttl is not None else timedelta(minutes=settings.PAYMENT_INTENT_TTL_MINUTES)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin with the same key may win the insert
            intent = PaymentIntent.objects.create(
                payer=payer,
                amount_fen=amount,
                settled_by_app_fen=by_app,
                purpose=purpose,
                reference=reference,
                description=description[:127],
                method=method,
                provider=provider,
                out_trade_no=new_number("LP"),
                expires_at=timezone.now() + ttl,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = PaymentIntent.objects.get(payer=payer, idempotency_key=idempotency_key)
        return _replay(existing, purpose=purpose, reference=reference, parts=parts)
    intent.replayed = False
    PaymentPart.objects.bulk_create(
        PaymentPart(
            intent=intent,
            reference=str(part.reference),
            description=part.description[:127],
            amount_fen=part.amount_fen,
            settlement=part.settlement,
        )
        for part in parts
    )
    # The invariant refunds rely on, checked in the database inside this transaction (rolled back if broken).
    if intent.parts.aggregate(total=Sum("amount_fen"))["total"] != intent.amount_fen:
        raise IntegrityError(f"payment {intent.out_trade_no}: parts do not add up to the amount")
    if not intent.cash_fen:
        intent_succeed(intent, transaction_id="")
    return intent


def _replay(intent: PaymentIntent, *, purpose: str, reference: str, parts: Sequence[PartSpec]) -> PaymentIntent:
    if not _same_request(intent, purpose=purpose, reference=reference, parts=parts):
        raise IdempotencyConflict()
    intent.replayed = True
    return intent
