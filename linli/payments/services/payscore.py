"""Pay Score (支付分): contracts (免密支付授权) and two-step service orders, the same for the sandbox and
WeChat Pay, and what only the real provider has: starting the authorisation and applying WeChat Pay's
Pay Score callbacks.

Service orders: `service_order_create` when the service starts (the cabinet door opens), then
`service_order_complete` with the settled amount (0 cancels it). The charge is a `PaymentIntent` of
the same purpose; its success reaches the owner as payment_succeeded, like any other payment.

Callbacks (`POST /api/v1/payments/wechat/payscore-notify/`), verified and decrypted like the
payment callbacks, all recorded as a `PaymentNotification`, and idempotent:

* `PAYSCORE.USER_OPEN_SERVICE` — the user accepted the authorisation: an active contract whose
  contract_id is our authorization_code (the payer is the resident with the callback's openid);
* `PAYSCORE.USER_CLOSE_SERVICE` — the user ended it in WeChat: the contract is terminated;
* `PAYSCORE.USER_PAID` — WeChat Pay collected a completed service order: its charge intent goes
  through `callbacks.payment_notification_handle`, like any other payment result.

A lost USER_PAID is caught up by `service_orders_catch_up` (beat job `payments.payscore_catch_up`):
completed orders whose charge is still unpaid after a while are queried and applied the same way.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import DomainError, NotFoundError
from linli.api.parsers import loads
from linli.payments.models import PaymentContract, PaymentIntent, PaymentNotification, Provider, ServiceOrder
from linli.payments.providers import default_provider_name, get_provider
from linli.payments.providers.base import ProviderError, TransactionState
from linli.payments.services._common import new_number, upstream_error
from linli.payments.services.callbacks import payment_notification_handle
from linli.payments.services.errors import (
    ContractRequired,
    InvalidNotification,
    InvalidNotificationSignature,
    NotificationNotReady,
    PayScoreUnavailable,
    WeChatLoginRequired,
)

logger = logging.getLogger(__name__)
Outcome = PaymentNotification.Outcome


# --- contracts and service orders ------------------------------------------------------------


def _payscore_error(exc: ProviderError) -> DomainError:
    """A Pay Score refusal is 400 `payscore_rejected` with WeChat Pay's reason; an outage is 502."""
    if exc.transient:
        return upstream_error(exc)
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
        out_order_no=new_number("LS"),
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
        out_trade_no=new_number("LP"),
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


# --- authorisation (WeChat Pay) -------------------------------------------------------------


def contract_authorize_start(*, user) -> dict:
    """Start the Pay Score authorisation (免确认模式). Returns the contract when there is one already
    (the sandbox signs at once), else what the mini-program passes to the Pay Score mini-program."""
    name = default_provider_name()
    provider = get_provider(name)
    if not provider.supports_service_orders:
        raise PayScoreUnavailable()
    answer = {
        "provider": name,
        "contract": None,
        "authorization_code": "",
        "apply_permissions_token": "",
        "navigate_to_mini_program": None,
        "open_business_view": None,
    }
    contract = PaymentContract.objects.filter(user=user, provider=name, status=PaymentContract.Status.ACTIVE).first()
    if contract is None and name == Provider.SANDBOX:
        contract = contract_sign_sandbox(user=user)
    if contract is not None:
        return {**answer, "contract": contract}
    if not user.wechat_openid:
        raise WeChatLoginRequired("请先用微信登录后再开通支付分")
    code = new_number("LA")
    try:
        params = provider.contract_start(authorization_code=code)
    except ProviderError as exc:
        raise _payscore_error(exc) from None
    return {**answer, "authorization_code": code, **params}


# --- WeChat Pay's Pay Score callbacks -----------------------------------------------------------


def payscore_notification_receive(*, headers, body: bytes) -> PaymentNotification:
    """A WeChat Pay Score callback: verify the signature, decrypt the resource, apply it."""
    provider = get_provider(Provider.WECHAT_PAY)
    client = provider.client
    if not client.verify_headers(headers, body):
        logger.warning("payscore notification with an invalid signature rejected")
        raise InvalidNotificationSignature()
    try:
        envelope = loads(body)  # bounded depth: a PayloadTooDeep is a ValueError here
        resource = client.decrypt(envelope.get("resource"))
    except (ValueError, AttributeError):
        logger.warning("payscore notification: resource could not be decrypted")
        raise InvalidNotification() from None
    event_type = str(envelope.get("event_type", ""))[:40]
    notification_id = str(envelope.get("id", ""))[:64]
    if event_type == "PAYSCORE.USER_PAID":
        return _user_paid(resource, event_type=event_type, notification_id=notification_id)
    if event_type == "PAYSCORE.USER_OPEN_SERVICE":
        return _user_open_service(resource, event_type=event_type, notification_id=notification_id)
    if event_type == "PAYSCORE.USER_CLOSE_SERVICE":
        return _user_close_service(resource, event_type=event_type, notification_id=notification_id)
    return _record(event_type, notification_id, resource, Outcome.IGNORED, f"event_type {event_type}")


def _record(event_type, notification_id, resource, outcome, detail="", out_trade_no="") -> PaymentNotification:
    return PaymentNotification.objects.create(
        provider=Provider.WECHAT_PAY,
        notification_id=notification_id,
        event_type=event_type,
        out_trade_no=out_trade_no[:64],
        outcome=outcome,
        detail=detail[:200],
        payload=resource,
    )


@transaction.atomic
def _user_paid(resource: dict, *, event_type: str, notification_id: str) -> PaymentNotification:
    from linli.payments.providers.wechat_payscore import paid_state

    out_order_no = str(resource.get("out_order_no", ""))
    # Locking the service order waits for a completion still in flight (its intent is not committed yet).
    # No select_related: after the wait PostgreSQL re-reads the locked row but not a joined one, so a
    # joined intent would still look absent; the intent is read afterwards, in a fresh statement.
    service_order = (
        ServiceOrder.objects.select_for_update().filter(out_order_no=out_order_no, provider=Provider.WECHAT_PAY).first()
    )
    if service_order is None:
        logger.warning("payscore USER_PAID for unknown out_order_no %r", out_order_no)
        return _record(event_type, notification_id, resource, Outcome.UNKNOWN, out_trade_no=out_order_no)
    if service_order.intent_id is None:
        logger.error("payscore USER_PAID for %s, which we have not completed: asking WeChat Pay to retry", out_order_no)
        raise NotificationNotReady()
    return payment_notification_handle(
        provider=Provider.WECHAT_PAY,
        event_type=event_type,
        state=paid_state(resource, out_trade_no=service_order.intent.out_trade_no),
        notification_id=notification_id,
    )


def _payer(openid: str):
    return User.objects.select_for_update().filter(wechat_openid=openid).first() if openid else None


@transaction.atomic
def _user_open_service(resource: dict, *, event_type: str, notification_id: str) -> PaymentNotification:
    code = str(resource.get("authorization_code", ""))[:64]
    user = _payer(str(resource.get("openid", "")))  # locked: one activation per user at a time
    if user is None or not code:
        logger.warning("payscore USER_OPEN_SERVICE for an unknown openid or without authorization_code")
        return _record(event_type, notification_id, resource, Outcome.UNKNOWN, f"授权 {code}")
    if PaymentContract.objects.filter(contract_id=code).exists():
        # The same callback again, or an old one after the user closed it: a code is used once.
        return _record(event_type, notification_id, resource, Outcome.DUPLICATE, f"授权 {code}")
    now = timezone.now()
    PaymentContract.objects.filter(
        user=user, provider=Provider.WECHAT_PAY, status=PaymentContract.Status.ACTIVE
    ).update(status=PaymentContract.Status.TERMINATED, terminated_at=now, updated_at=now)  # replaced by the new one
    PaymentContract.objects.create(user=user, provider=Provider.WECHAT_PAY, contract_id=code)
    return _record(event_type, notification_id, resource, Outcome.APPLIED, f"授权 {code}")


@transaction.atomic
def _user_close_service(resource: dict, *, event_type: str, notification_id: str) -> PaymentNotification:
    code = str(resource.get("authorization_code", ""))[:64]
    contracts = PaymentContract.objects.select_for_update().filter(provider=Provider.WECHAT_PAY)
    contract = contracts.filter(contract_id=code).first() if code else None
    if contract is None:
        user = _payer(str(resource.get("openid", "")))
        contract = contracts.filter(user=user, status=PaymentContract.Status.ACTIVE).first() if user else None
    if contract is None:
        logger.warning("payscore USER_CLOSE_SERVICE for no contract of ours (%r)", code)
        return _record(event_type, notification_id, resource, Outcome.UNKNOWN, f"授权 {code}")
    if contract.status != PaymentContract.Status.ACTIVE:
        return _record(event_type, notification_id, resource, Outcome.DUPLICATE, f"授权 {contract.contract_id}")
    contract.status = PaymentContract.Status.TERMINATED
    contract.terminated_at = timezone.now()
    contract.save(update_fields=["status", "terminated_at", "updated_at"])
    return _record(event_type, notification_id, resource, Outcome.APPLIED, f"授权 {contract.contract_id}")


# --- catch-up: USER_PAID callbacks that never arrived -----------------------------------------

CATCH_UP_AFTER = timedelta(minutes=15)


def service_orders_catch_up(*, now=None, after: timedelta = CATCH_UP_AFTER, limit: int = 200) -> int:
    """For WeChat Pay Score orders we completed more than `after` ago whose charge is still unpaid (the
    USER_PAID callback was lost), ask WeChat Pay and apply a collected order through the same idempotent
    handler as the callback. Each order is queried outside any transaction and applied in its own;
    an unreachable WeChat Pay leaves it for the next run. Returns how many charges were marked paid."""
    now = now or timezone.now()
    stale = list(
        ServiceOrder.objects.filter(
            provider=Provider.WECHAT_PAY,
            status=ServiceOrder.Status.COMPLETED,
            intent__status=PaymentIntent.Status.CREATED,
            finished_at__lte=now - after,
        )
        .order_by("finished_at")
        .values_list("out_order_no", "intent__out_trade_no")[:limit]
    )
    if not stale:
        return 0
    from linli.payments.providers.wechat_payscore import paid_state

    provider = get_provider(Provider.WECHAT_PAY)
    if not provider.supports_service_orders:
        logger.warning("payscore catch-up: %s unpaid service orders but Pay Score is not configured", len(stale))
        return 0
    applied = 0
    for out_order_no, out_trade_no in stale:
        try:
            order = provider.service_order_query(out_order_no)
        except ProviderError as exc:
            logger.warning("payscore catch-up %s: query failed (%s), next run tries again", out_order_no, exc)
            continue
        if order is None:
            logger.error("payscore catch-up %s: WeChat Pay does not know this completed order", out_order_no)
            continue
        state = paid_state(order, out_trade_no=out_trade_no)
        if state.trade_state != "SUCCESS":
            continue  # not collected yet (USER_PAYING…): asked again on the next run
        notification = payment_notification_handle(
            provider=Provider.WECHAT_PAY,
            event_type="PAYSCORE.QUERY",
            state=state,
            notification_id=f"payscore-query-{out_order_no}",
        )
        applied += notification.outcome == Outcome.APPLIED
    return applied
