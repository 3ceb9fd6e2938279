"""Payment intents: create one (with its points and medical-insurance parts), prepare the
mini-program's payment, close it unpaid (by its owner or the expiry job)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.api.errors import ConflictError, DomainError, InvalidTransition, UpstreamError
from linli.payments.models import PaymentIntent, Provider, ServiceOrder
from linli.payments.providers import default_insurance_provider_name, default_provider_name, get_provider
from linli.payments.providers.base import INSURANCE_BALANCE_INSUFFICIENT, ProviderError
from linli.payments.services._common import (
    intent_end_unpaid,
    intent_succeed,
    lock_intent,
    new_number,
    upstream_error,
)
from linli.payments.services.callbacks import payment_notification_handle
from linli.payments.services.errors import (
    AlreadyPaid,
    InsuranceBalanceInsufficient,
    PaymentExpired,
    WeChatLoginRequired,
)
from linli.points import services as points


@transaction.atomic
def payment_intent_create(
    *,
    payer,
    amount_fen: int,
    purpose: str,
    reference: str,
    description: str,
    points_fen: int = 0,
    insurance_fen: int = 0,
    method: str | None = None,
    ttl: timedelta | None = None,
) -> PaymentIntent:
    """An amount `payer` owes for (`purpose`, `reference`); `points_fen` of it is paid with points at once.

    The points are spent now (InsufficientPoints → 409) and given back if the intent closes unpaid.

    With `method=insurance_account` it is a medical-insurance mixed order (one order, the insurance
    provider's): `insurance_fen` from the personal account, the rest in cash (WeChat Pay); either part
    may be 0. The insurance provider checks the balance now (409 `insurance_balance_insufficient`).

    With nothing left to pay the intent succeeds immediately (payment_succeeded is sent).
    """
    Method = PaymentIntent.Method
    if amount_fen <= 0:
        raise DomainError("支付金额必须大于 0", code="validation_error")
    if not 0 <= points_fen <= amount_fen:
        raise DomainError("积分抵扣不能超过支付金额", code="validation_error")
    if not 0 <= insurance_fen <= amount_fen - points_fen:
        raise DomainError("医保个账支付不能超过应付金额", code="validation_error")
    if insurance_fen and method != Method.INSURANCE_ACCOUNT:
        raise DomainError("医保个账支付须使用 insurance_account 支付方式", code="validation_error")
    cash = amount_fen - points_fen - insurance_fen
    if method == Method.INSURANCE_ACCOUNT:
        provider_name = default_insurance_provider_name()
    elif cash:
        method, provider_name = Method.WECHAT_PAY, default_provider_name()
    else:
        method, provider_name = Method.POINTS, Provider.POINTS
    ttl = ttl if ttl is not None else timedelta(minutes=settings.PAYMENT_INTENT_TTL_MINUTES)
    intent = PaymentIntent.objects.create(
        payer=payer,
        amount_fen=amount_fen,
        points_fen=points_fen,
        insurance_fen=insurance_fen,
        purpose=purpose,
        reference=str(reference),
        description=description[:127],
        method=method,
        provider=provider_name,
        out_trade_no=new_number("LP"),
        expires_at=timezone.now() + ttl,
    )
    if points_fen:
        points.spend(
            user=payer,
            amount=points_fen,
            reason=f"支付：{description}"[:100],
            idempotency_key=f"payment:{intent.out_trade_no}:spend",
            source=intent,
        )
    settled = True
    if insurance_fen:
        try:
            settled = get_provider(provider_name).insurance_settle(intent)
        except ProviderError as exc:
            if exc.code == INSURANCE_BALANCE_INSUFFICIENT:
                raise InsuranceBalanceInsufficient(str(exc)) from None
            raise upstream_error(exc) from None
    if not cash and settled:
        intent_succeed(intent, transaction_id="")
    return intent


@transaction.atomic
def payment_intent_prepare(*, intent: PaymentIntent) -> dict:
    """The parameters the mini-program passes to wx.requestPayment (the provider order is created once)."""
    intent = lock_intent(intent)
    if intent.status == PaymentIntent.Status.SUCCEEDED:
        raise AlreadyPaid()
    if intent.status != PaymentIntent.Status.CREATED:
        raise InvalidTransition("支付单已关闭，请重新下单")
    if intent.expires_at and intent.expires_at <= timezone.now():
        raise PaymentExpired()
    if ServiceOrder.objects.filter(intent=intent).exists():
        raise ConflictError("该笔费用由支付分自动扣款，无需再次支付", code="collected_by_payscore")
    if intent.client_params:
        return intent.client_params
    provider = get_provider(intent.provider)
    openid = intent.payer.wechat_openid or ""
    if intent.provider in (Provider.WECHAT_PAY, Provider.WECHAT_MED_INS) and not openid:
        raise WeChatLoginRequired()
    try:
        prepay_id, params = provider.prepare(intent, openid=openid)
    except ProviderError as exc:
        raise upstream_error(exc) from None
    intent.prepay_id = prepay_id
    intent.client_params = params
    intent.save(update_fields=["prepay_id", "client_params", "updated_at"])
    return params


@transaction.atomic
def payment_intent_close(*, intent: PaymentIntent, reason: str = "closed") -> PaymentIntent:
    """Close an unpaid intent for good: the provider is asked first (a payment that just went through
    wins), then told to close; points go back; payment_closed is sent. Closing twice changes nothing."""
    intent = lock_intent(intent)
    if intent.status != PaymentIntent.Status.CREATED:
        return intent
    provider = get_provider(intent.provider)
    try:
        state = provider.query(intent) if intent.prepay_id else None
        if state is not None and state.trade_state == "SUCCESS":
            payment_notification_handle(provider=intent.provider, event_type="QUERY", state=state)
            return lock_intent(intent)
        if intent.prepay_id:
            provider.close(intent)
    except ProviderError as exc:
        if exc.code not in ("ORDER_CLOSED", "ORDER_NOT_EXIST"):
            raise upstream_error(exc) from None
    intent_end_unpaid(intent, PaymentIntent.Status.CLOSED, reason)
    return intent


def payment_intents_close_expired(*, now=None, limit: int = 500) -> int:
    """Close intents past their deadline, each in its own transaction. Returns how many were closed."""
    now = now or timezone.now()
    ids = list(
        PaymentIntent.objects.filter(status=PaymentIntent.Status.CREATED, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for pk in ids:
        try:
            intent = payment_intent_close(intent=PaymentIntent(pk=pk), reason="expired")
        except UpstreamError:
            continue  # the provider is down: the next run tries again
        closed += intent.status == PaymentIntent.Status.CLOSED
    return closed
