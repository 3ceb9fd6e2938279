"""Every write of the payments platform.

Locking: each service locks the `PaymentIntent` row first (an owning app that also locks its own
row, e.g. an order, locks the intent *before* it, through `selectors.lock_intent`), so a callback,
the expiry job and a cancellation can never interleave on one payment. The outcome signals of
`linli.payments.signals` are sent inside that transaction.
"""

import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from linli.api.errors import ConflictError, DomainError, InvalidTransition, NotFoundError, UpstreamError
from linli.payments import signals
from linli.payments.models import (
    PaymentContract,
    PaymentIntent,
    PaymentNotification,
    Provider,
    Refund,
    ServiceOrder,
)
from linli.payments.providers import default_insurance_provider_name, default_provider_name, get_provider
from linli.payments.providers.base import INSURANCE_BALANCE_INSUFFICIENT, ProviderError, TransactionState
from linli.points import services as points

logger = logging.getLogger(__name__)
Outcome = PaymentNotification.Outcome


class AlreadyPaid(ConflictError):
    code = "already_paid"
    default_message = "该订单已支付"


class PaymentExpired(ConflictError):
    code = "payment_expired"
    default_message = "支付已超时，请重新下单"


class RefundExceedsPaid(ConflictError):
    code = "refund_exceeds_paid"
    default_message = "退款金额超过可退金额"


class InsuranceBalanceInsufficient(ConflictError):
    code = "insurance_balance_insufficient"
    default_message = "医保个账余额不足"


class WeChatLoginRequired(ConflictError):
    code = "wechat_login_required"
    default_message = "请先用微信登录后再支付"


class ContractRequired(ConflictError):
    code = "payment_contract_required"
    default_message = "请先开通免密支付（支付分）"


class PayScoreUnavailable(ConflictError):
    code = "payscore_unavailable"
    default_message = "支付分服务暂未开通"


class InvalidNotificationSignature(DomainError):
    status_code = 401
    code = "invalid_signature"
    default_message = "通知签名无效"


class InvalidNotification(DomainError):
    code = "invalid_notification"
    default_message = "通知内容无法解析"


def _new_number(prefix: str) -> str:
    """A merchant-side number: 2 letters + local time + 12 random hex = 28 characters (WeChat allows 32)."""
    return f"{prefix}{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(6)}"


def _upstream(exc: ProviderError) -> UpstreamError:
    logger.warning("payment provider error: %s (%s)", exc, exc.code)
    return UpstreamError(f"支付通道暂时不可用：{exc}")


def _lock(intent: PaymentIntent) -> PaymentIntent:
    return PaymentIntent.objects.select_for_update().select_related("payer").get(pk=intent.pk)


# --- intents ------------------------------------------------------------------------------


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
        out_trade_no=_new_number("LP"),
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
            raise _upstream(exc) from None
    if not cash and settled:
        _succeed(intent, transaction_id="")
    return intent


@transaction.atomic
def payment_intent_prepare(*, intent: PaymentIntent) -> dict:
    """The parameters the mini-program passes to wx.requestPayment (the provider order is created once)."""
    intent = _lock(intent)
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
        raise _upstream(exc) from None
    intent.prepay_id = prepay_id
    intent.client_params = params
    intent.save(update_fields=["prepay_id", "client_params", "updated_at"])
    return params


def _succeed(intent: PaymentIntent, *, transaction_id: str) -> None:
    intent.status = PaymentIntent.Status.SUCCEEDED
    intent.paid_at = timezone.now()
    intent.provider_transaction_id = transaction_id
    intent.save(update_fields=["status", "paid_at", "provider_transaction_id", "updated_at"])
    signals.payment_succeeded.send(sender=PaymentIntent, intent=intent)


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


def _end_unpaid(intent: PaymentIntent, status: str, reason: str) -> None:
    _return_points(intent)
    _return_insurance(intent)
    intent.status = status
    intent.closed_at = timezone.now()
    intent.failure_reason = reason[:200]
    intent.save(update_fields=["status", "closed_at", "failure_reason", "updated_at"])
    signal = signals.payment_failed if status == PaymentIntent.Status.FAILED else signals.payment_closed
    signal.send(sender=PaymentIntent, intent=intent, reason=reason)


@transaction.atomic
def payment_intent_close(*, intent: PaymentIntent, reason: str = "closed") -> PaymentIntent:
    """Close an unpaid intent for good: the provider is asked first (a payment that just went through
    wins), then told to close; points go back; payment_closed is sent. Closing twice changes nothing."""
    intent = _lock(intent)
    if intent.status != PaymentIntent.Status.CREATED:
        return intent
    provider = get_provider(intent.provider)
    try:
        state = provider.query(intent) if intent.prepay_id else None
        if state is not None and state.trade_state == "SUCCESS":
            payment_notification_handle(provider=intent.provider, event_type="QUERY", state=state)
            return _lock(intent)
        if intent.prepay_id:
            provider.close(intent)
    except ProviderError as exc:
        if exc.code not in ("ORDER_CLOSED", "ORDER_NOT_EXIST"):
            raise _upstream(exc) from None
    _end_unpaid(intent, PaymentIntent.Status.CLOSED, reason)
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


# --- provider notifications (real callbacks, queries and the sandbox all come through here) ---


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
            _succeed(intent, transaction_id=state.transaction_id)
            return record(Outcome.APPLIED)
        if intent.status == PaymentIntent.Status.SUCCEEDED or (
            intent.provider_transaction_id and intent.provider_transaction_id == state.transaction_id
        ):
            return record(Outcome.DUPLICATE)
        # Paid after we closed it (or after a failure): the money goes straight back.
        logger.warning("payment %s: paid after it was %s, refunding", intent.out_trade_no, intent.status)
        intent.provider_transaction_id = state.transaction_id
        intent.save(update_fields=["provider_transaction_id", "updated_at"])
        _refund_start(intent, cash=intent.cash_fen, points_fen=0, reason="订单已关闭，款项原路退回", requested_by=None)
        return record(Outcome.LATE_REFUNDED)
    if state.trade_state == "PAYERROR":
        if intent.status == PaymentIntent.Status.CREATED:
            _end_unpaid(intent, PaymentIntent.Status.FAILED, "支付失败")
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
        envelope = json.loads(body)
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


# --- refunds ------------------------------------------------------------------------------


@transaction.atomic
def refund_create(*, intent: PaymentIntent, amount_fen: int, reason: str, requested_by=None) -> Refund:
    """Give back `amount_fen` of a paid intent: cash first, then the insurance part, then points.
    Never more than is still refundable, and never more of a part than that part paid."""
    intent = _lock(intent)
    if intent.status != PaymentIntent.Status.SUCCEEDED:
        raise InvalidTransition("只有已支付的款项可以退款")
    if amount_fen <= 0:
        raise DomainError("退款金额必须大于 0", code="validation_error", fields={"amount_fen": ["必须大于 0"]})
    refundable = intent.amount_fen - intent.refunded_fen
    if amount_fen > refundable:
        raise RefundExceedsPaid(f"最多可退 {refundable / 100:.2f} 元")
    taken = intent.refunds.exclude(status=Refund.Status.FAILED).aggregate(
        cash=Sum("cash_fen"), insurance=Sum("insurance_fen")
    )
    cash = min(amount_fen, intent.cash_fen - (taken["cash"] or 0))
    insurance = min(amount_fen - cash, intent.insurance_fen - (taken["insurance"] or 0))
    return _refund_start(
        intent,
        cash=cash,
        insurance=insurance,
        points_fen=amount_fen - cash - insurance,
        reason=reason or "退款",
        requested_by=requested_by,
    )


def _refund_start(
    intent: PaymentIntent, *, cash: int, points_fen: int, reason: str, requested_by, insurance: int = 0
) -> Refund:
    refund = Refund.objects.create(
        intent=intent,
        amount_fen=cash + points_fen + insurance,
        cash_fen=cash,
        points_fen=points_fen,
        insurance_fen=insurance,
        reason=reason[:80],
        out_refund_no=_new_number("LR"),
        requested_by=requested_by,
    )
    intent.refunded_fen += refund.amount_fen
    intent.save(update_fields=["refunded_fen", "updated_at"])
    if not cash and not insurance:
        _refund_succeed(refund, intent)
        return refund
    try:
        result = get_provider(intent.provider).refund(refund)
    except ProviderError as exc:
        raise _upstream(exc) from None
    refund.provider_refund_id = result.provider_refund_id
    refund.save(update_fields=["provider_refund_id", "updated_at"])
    if result.status == "succeeded":
        _refund_succeed(refund, intent)
    elif result.status == "failed":
        _refund_fail(refund, intent, result.detail or "退款失败")
    return refund


def _refund_succeed(refund: Refund, intent: PaymentIntent) -> None:
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
    signals.refund_succeeded.send(sender=PaymentIntent, refund=refund, intent=intent)


def _refund_fail(refund: Refund, intent: PaymentIntent, reason: str) -> None:
    logger.error("refund %s failed at the provider: %s", refund.out_refund_no, reason)
    refund.status = Refund.Status.FAILED
    refund.save(update_fields=["status", "updated_at"])
    intent.refunded_fen -= refund.amount_fen
    intent.save(update_fields=["refunded_fen", "updated_at"])
    signals.refund_failed.send(sender=PaymentIntent, refund=refund, intent=intent, reason=reason)


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
    intent = _lock(PaymentIntent(pk=intent_pk))
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
        _refund_succeed(refund, intent)
    elif refund_status in ("CLOSED", "ABNORMAL"):
        _refund_fail(refund, intent, f"退款{refund_status}")
    else:
        return record(Outcome.IGNORED, f"refund_status {refund_status}", intent.out_trade_no)
    return record(Outcome.APPLIED, out_trade_no=intent.out_trade_no)


# --- Pay Score (支付分): contracts and two-step service orders ------------------------------
# (starting the real authorisation and WeChat Pay's Pay Score callbacks: linli.payments.payscore)


def _payscore_error(exc: ProviderError) -> DomainError:
    """A Pay Score refusal is 400 `payscore_rejected` with WeChat Pay's reason; an outage is 502."""
    if exc.transient:
        return _upstream(exc)
    logger.warning("pay score refused: %s (%s)", exc, exc.code)
    return DomainError(f"微信支付分未受理：{exc}", code="payscore_rejected")


@transaction.atomic
def contract_sign_sandbox(*, user) -> PaymentContract:
    """The sandbox's stand-in for the Pay Score authorisation page: an accepted contract at once."""
    if not settings.LINLI_SANDBOX:
        raise NotFoundError()
    contract = PaymentContract.objects.filter(
        user=user, provider=Provider.SANDBOX, status=PaymentContract.Status.ACTIVE
    ).first()
    if contract is not None:
        return contract
    return PaymentContract.objects.create(
        user=user, provider=Provider.SANDBOX, contract_id=f"sandbox-{secrets.token_hex(12)}"
    )


@transaction.atomic
def contract_terminate(*, contract: PaymentContract) -> PaymentContract:
    contract = PaymentContract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == PaymentContract.Status.ACTIVE:
        if contract.provider != Provider.SANDBOX:
            provider = get_provider(contract.provider)
            if provider.supports_service_orders:
                try:
                    provider.contract_terminate(contract, reason="用户在邻礼通解除授权")
                except ProviderError as exc:
                    raise _payscore_error(exc) from None
        contract.status = PaymentContract.Status.TERMINATED
        contract.terminated_at = timezone.now()
        contract.save(update_fields=["status", "terminated_at", "updated_at"])
    return contract


@transaction.atomic
def service_order_create(
    *, payer, purpose: str, reference: str, description: str, risk_amount_fen: int
) -> ServiceOrder:
    """Pay Score step 1, when the service starts (the cabinet door opens). Needs an accepted contract."""
    name = default_provider_name()
    provider = get_provider(name)
    if not provider.supports_service_orders:
        raise PayScoreUnavailable()
    contract = PaymentContract.objects.filter(user=payer, provider=name, status=PaymentContract.Status.ACTIVE).first()
    if contract is None:
        raise ContractRequired()
    if name == Provider.WECHAT_PAY and not payer.wechat_openid:
        raise WeChatLoginRequired()
    service_order = ServiceOrder.objects.create(
        payer=payer,
        contract=contract,
        purpose=purpose,
        reference=str(reference),
        description=description[:127],
        provider=name,
        out_order_no=_new_number("LS"),
        risk_amount_fen=risk_amount_fen,
    )
    try:
        provider.service_order_create(service_order, openid=payer.wechat_openid or "")
    except ProviderError as exc:
        raise _payscore_error(exc) from None
    return service_order


@transaction.atomic
def service_order_complete(
    *, service_order: ServiceOrder, amount_fen: int, reference: str | None = None
) -> PaymentIntent | None:
    """Pay Score step 2: the settled amount. 0 cancels it. The charge is an intent of the same purpose
    (and of `reference` when given: the thing finally bought, e.g. the order made at settlement); its
    success reaches the owner as payment_succeeded. Completing twice changes nothing."""
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order.pk)
    if service_order.status != ServiceOrder.Status.CREATED:
        return service_order.intent
    if amount_fen <= 0:
        service_order_cancel(service_order=service_order, reason="未产生费用")
        return None
    if amount_fen > service_order.risk_amount_fen:
        raise DomainError("结算金额超过服务订单的风险金额上限", code="amount_above_risk_limit")
    provider = get_provider(service_order.provider)
    intent = PaymentIntent.objects.create(
        payer=service_order.payer,
        amount_fen=amount_fen,
        purpose=service_order.purpose,
        reference=str(reference) if reference is not None else service_order.reference,
        description=service_order.description,
        method=PaymentIntent.Method.WECHAT_PAY,
        provider=service_order.provider,
        out_trade_no=_new_number("LP"),
        expires_at=None,  # Pay Score collects on its own schedule; never closed by the expiry job
    )
    service_order.intent = intent
    service_order.status = ServiceOrder.Status.COMPLETED
    service_order.finished_at = timezone.now()
    service_order.save(update_fields=["intent", "status", "finished_at", "updated_at"])
    try:
        step = provider.service_order_complete(service_order, intent=intent)
    except ProviderError as exc:
        raise _payscore_error(exc) from None
    if step.collected:
        payment_notification_handle(
            provider=service_order.provider,
            event_type="PAYSCORE.USER_PAID",
            state=TransactionState(
                out_trade_no=intent.out_trade_no,
                trade_state="SUCCESS",
                transaction_id=step.provider_reference,
                amount_fen=intent.cash_fen,
                payload={"out_order_no": service_order.out_order_no, "amount": {"total": intent.cash_fen}},
            ),
            notification_id=f"{service_order.provider}-{service_order.out_order_no}",
        )
    intent.refresh_from_db()
    return intent


@transaction.atomic
def service_order_cancel(*, service_order: ServiceOrder, reason: str) -> ServiceOrder:
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order.pk)
    if service_order.status != ServiceOrder.Status.CREATED:
        return service_order
    try:
        get_provider(service_order.provider).service_order_cancel(service_order, reason=reason)
    except ProviderError as exc:
        raise _payscore_error(exc) from None
    service_order.status = ServiceOrder.Status.CANCELLED
    service_order.finished_at = timezone.now()
    service_order.save(update_fields=["status", "finished_at", "updated_at"])
    return service_order
