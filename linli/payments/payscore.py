"""Pay Score (支付分) writes that only the real provider has: starting the authorisation and applying
WeChat Pay's Pay Score callbacks. The two-step service orders themselves are in `services.py`
(section "Pay Score"), the same for the sandbox and WeChat Pay.

Callbacks (`POST /api/v1/payments/wechat/payscore-notify/`), verified and decrypted like the
payment callbacks, all recorded as a `PaymentNotification`, and idempotent:

* `PAYSCORE.USER_OPEN_SERVICE` — the user accepted the authorisation: an active contract whose
  contract_id is our authorization_code (the payer is the resident with the callback's openid);
* `PAYSCORE.USER_CLOSE_SERVICE` — the user ended it in WeChat: the contract is terminated;
* `PAYSCORE.USER_PAID` — WeChat Pay collected a completed service order: its charge intent goes
  through `services.payment_notification_handle`, like any other payment result.

A lost USER_PAID is caught up by `service_orders_catch_up` (beat job `payments.payscore_catch_up`):
completed orders whose charge is still unpaid after a while are queried and applied the same way.
"""

import json
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import DomainError
from linli.payments import services
from linli.payments.models import PaymentContract, PaymentIntent, PaymentNotification, Provider, ServiceOrder
from linli.payments.providers import default_provider_name, get_provider
from linli.payments.providers.base import ProviderError

logger = logging.getLogger(__name__)
Outcome = PaymentNotification.Outcome


class NotificationNotReady(DomainError):
    """WeChat Pay should call again later (it retries any answer that is not 2xx)."""

    status_code = 503
    code = "notification_not_ready"
    default_message = "暂时无法处理该通知，请稍后重试"


def contract_authorize_start(*, user) -> dict:
    """Start the Pay Score authorisation (免确认模式). Returns the contract when there is one already
    (the sandbox signs at once), else what the mini-program passes to the Pay Score mini-program."""
    name = default_provider_name()
    provider = get_provider(name)
    if not provider.supports_service_orders:
        raise services.PayScoreUnavailable()
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
        contract = services.contract_sign_sandbox(user=user)
    if contract is not None:
        return {**answer, "contract": contract}
    if not user.wechat_openid:
        raise services.WeChatLoginRequired("请先用微信登录后再开通支付分")
    code = services._new_number("LA")
    try:
        params = provider.contract_start(authorization_code=code)
    except ProviderError as exc:
        raise services._payscore_error(exc) from None
    return {**answer, "authorization_code": code, **params}


def payscore_notification_receive(*, headers, body: bytes) -> PaymentNotification:
    """A WeChat Pay Score callback: verify the signature, decrypt the resource, apply it."""
    provider = get_provider(Provider.WECHAT_PAY)
    client = provider.client
    if not client.verify_headers(headers, body):
        logger.warning("payscore notification with an invalid signature rejected")
        raise services.InvalidNotificationSignature()
    try:
        envelope = json.loads(body)
        resource = client.decrypt(envelope.get("resource"))
    except (ValueError, AttributeError):
        logger.warning("payscore notification: resource could not be decrypted")
        raise services.InvalidNotification() from None
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
    return services.payment_notification_handle(
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
        notification = services.payment_notification_handle(
            provider=Provider.WECHAT_PAY,
            event_type="PAYSCORE.QUERY",
            state=state,
            notification_id=f"payscore-query-{out_order_no}",
        )
        applied += notification.outcome == Outcome.APPLIED
    return applied
