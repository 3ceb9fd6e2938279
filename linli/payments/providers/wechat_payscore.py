"""WeChat Pay Score (微信支付分), 免确认模式 (先享后付 with a prior user authorisation), over APIv3.

The unmanned cabinet cannot wait for the payer to confirm each visit, so the user authorises the
merchant's Pay Score service once and every service order is created with `need_user_confirm=false`:

1. authorisation: `POST /v3/payscore/permissions` (our `authorization_code`) → `apply_permissions_token`,
   which the mini-program hands to the Pay Score mini-program (`wx.navigateToMiniProgram` /
   `wx.openBusinessView` "wxpayScoreEnable"). WeChat Pay then calls us back with
   `PAYSCORE.USER_OPEN_SERVICE` (→ an active `PaymentContract`, contract_id = authorization_code) or
   later `PAYSCORE.USER_CLOSE_SERVICE` (→ terminated). We end one with
   `POST /v3/payscore/permissions/authorization-code/{code}/terminate`.
2. door opens: `POST /v3/payscore/serviceorder` (amount unknown, bounded by `risk_fund`);
3. door closes: `POST /v3/payscore/serviceorder/{out_order_no}/complete` with the settled amount, or
   `…/cancel` when nothing was taken; WeChat Pay collects and calls back `PAYSCORE.USER_PAID`.

Every step is made idempotent by asking WeChat Pay (`GET /v3/payscore/serviceorder`) after a failure:
an order that already is in the state we asked for (a timeout after WeChat Pay acted, a retry) is a
success, so a retried door-close event never fails on "order already completed".

Signing, answer verification and callback decryption are the v3 client's (`wechat.WeChatPayClient`).
Contracts and service orders keep the provider name `wechat_pay`.
"""

import logging
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from linli.payments.models import ServiceOrder
from linli.payments.providers.base import ProviderError, ServiceOrderStep, TransactionState
from linli.payments.providers.wechat import WeChatPayClient, WeChatPayProvider

logger = logging.getLogger(__name__)

# The Pay Score mini-program that shows the authorisation page (WeChat Pay's own, fixed).
PAYSCORE_MINIPROGRAM_APPID = "wxd8f3793ea3b935b8"
PAYSCORE_ENABLE_PATH = "pages/use/enable"
NOTIFY_PATH = "/api/v1/payments/wechat/payscore-notify/"

_INTRODUCTION_MAX = 20  # service_introduction, risk_fund.description and post_payments.name: ≤ 20 characters
_REASON_MAX = 50  # cancel reason


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wechat_time(moment=None) -> str:
    """Pay Score's own time format: yyyyMMddHHmmss, Beijing time."""
    return timezone.localtime(moment or timezone.now()).strftime("%Y%m%d%H%M%S")


class WeChatPayScoreProvider(WeChatPayProvider):
    """WeChat Pay with Pay Score service orders (needs WECHATPAY_PAYSCORE_SERVICE_ID)."""

    supports_service_orders = True

    def __init__(self, client: WeChatPayClient, *, notify_base: str, service_id: str):
        super().__init__(client, notify_base=notify_base)
        if not service_id:
            raise ValueError("Pay Score needs a service_id")
        self.service_id = service_id

    @classmethod
    def from_settings(cls) -> "WeChatPayScoreProvider":
        base = WeChatPayProvider.from_settings()
        return cls(base.client, notify_base=base.notify_base, service_id=settings.WECHATPAY_PAYSCORE_SERVICE_ID)

    @property
    def notify_url(self) -> str:
        return f"{self.notify_base}{NOTIFY_PATH}"

    def refund_target(self, intent) -> dict:
        # WeChat Pay never saw the out_trade_no of a Pay Score charge: it knows the deduction's transaction_id.
        if intent.provider_transaction_id and ServiceOrder.objects.filter(intent_id=intent.pk).exists():
            return {"transaction_id": intent.provider_transaction_id}
        return super().refund_target(intent)

    # --- authorisation (the PaymentContract) -------------------------------------------------

    def contract_start(self, *, authorization_code: str) -> dict:
        """商户预授权: the parameters the mini-program needs to open the Pay Score authorisation page."""
        data = self.client.request(
            "POST",
            "/v3/payscore/permissions",
            body={
                "service_id": self.service_id,
                "appid": self.client.app_id,
                "authorization_code": authorization_code,
                "notify_url": self.notify_url,
            },
        )
        token = str(data.get("apply_permissions_token") or "")
        if not token:
            raise ProviderError("answer without apply_permissions_token", transient=True)
        extra = {"apply_permissions_token": token}
        return {
            "apply_permissions_token": token,
            "navigate_to_mini_program": {
                "appId": PAYSCORE_MINIPROGRAM_APPID,
                "path": PAYSCORE_ENABLE_PATH,
                "extraData": extra,
            },
            "open_business_view": {"businessType": "wxpayScoreEnable", "extraData": extra},
        }

    def contract_terminate(self, contract, *, reason: str) -> None:
        try:
            self.client.request(
                "POST",
                f"/v3/payscore/permissions/authorization-code/{quote(contract.contract_id, safe='')}/terminate",
                body={"service_id": self.service_id, "reason": _short(reason, _REASON_MAX)},
            )
        except ProviderError as exc:
            if exc.transient:
                raise
            # Already ended on WeChat's side (the user closed it there): nothing left to end.
            logger.info("payscore terminate %s: %s (%s), treated as ended", contract.contract_id, exc, exc.code)

    # --- service orders ----------------------------------------------------------------------

    def service_order_query(self, out_order_no: str) -> dict | None:
        """WeChat Pay's view of a service order, or None when it has never heard of it."""
        try:
            return self.client.request(
                "GET",
                "/v3/payscore/serviceorder",
                query={"out_order_no": out_order_no, "service_id": self.service_id, "appid": self.client.app_id},
            )
        except ProviderError as exc:
            if exc.status == 404 or exc.code in ("ORDER_NOT_EXIST", "RESOURCE_NOT_EXISTS"):
                return None
            raise

    def _reconcile(self, out_order_no: str, exc: ProviderError, accept) -> dict:
        """After a failed step: WeChat Pay's order if it already is where the step would have put it, else re-raise."""
        try:
            order = self.service_order_query(out_order_no)
        except ProviderError:
            raise exc from None
        if order is not None and accept(order):
            logger.info("payscore %s: %s, but the order is already %s", out_order_no, exc, order.get("state"))
            return order
        raise exc

    def service_order_create(self, service_order, *, openid: str) -> ServiceOrderStep:
        if not openid:
            raise ProviderError("免确认模式需要付款人的 openid", code="OPENID_REQUIRED")
        body = {
            "out_order_no": service_order.out_order_no,
            "appid": self.client.app_id,
            "service_id": self.service_id,
            "service_introduction": _short(service_order.description, _INTRODUCTION_MAX),
            "time_range": {"start_time": _wechat_time(service_order.created_at)},
            "risk_fund": {
                "name": "ESTIMATE_ORDER_COST",
                "amount": service_order.risk_amount_fen,
                "description": _short(service_order.description, _INTRODUCTION_MAX),
            },
            "notify_url": self.notify_url,
            "openid": openid,
            "need_user_confirm": False,
        }
        try:
            data = self.client.request("POST", "/v3/payscore/serviceorder", body=body)
        except ProviderError as exc:
            data = self._reconcile(
                service_order.out_order_no, exc, lambda order: order.get("state") in ("CREATED", "DOING")
            )
        return ServiceOrderStep(provider_reference=str(data.get("order_id", "")))

    def service_order_complete(self, service_order, *, intent) -> ServiceOrderStep:
        total = intent.cash_fen
        body = {
            "appid": self.client.app_id,
            "service_id": self.service_id,
            "post_payments": [
                {
                    "name": _short(service_order.description, _INTRODUCTION_MAX),
                    "amount": total,
                    "description": _short(intent.description, 30),
                    "count": 1,
                }
            ],
            "total_amount": total,
            "time_range": {"end_time": _wechat_time(service_order.finished_at)},
        }

        def completed(order: dict) -> bool:
            done = order.get("state") == "DONE" or order.get("state_description") == "MCH_COMPLETE"
            return done and order.get("total_amount") == total

        path = f"/v3/payscore/serviceorder/{quote(service_order.out_order_no, safe='')}/complete"
        try:
            data = self.client.request("POST", path, body=body)
        except ProviderError as exc:
            data = self._reconcile(service_order.out_order_no, exc, completed)
        # Not collected yet: WeChat Pay deducts on its own and tells us with PAYSCORE.USER_PAID.
        return ServiceOrderStep(provider_reference=str(data.get("order_id", "")), collected=False)

    def service_order_cancel(self, service_order, *, reason: str) -> None:
        path = f"/v3/payscore/serviceorder/{quote(service_order.out_order_no, safe='')}/cancel"
        body = {"appid": self.client.app_id, "service_id": self.service_id, "reason": _short(reason, _REASON_MAX)}
        try:
            self.client.request("POST", path, body=body)
        except ProviderError as exc:
            self._reconcile(service_order.out_order_no, exc, lambda order: order.get("state") == "REVOKED")


def paid_state(resource: dict, *, out_trade_no: str) -> TransactionState:
    """A decrypted PAYSCORE.USER_PAID resource (the service order) → the state of the intent that charges it."""
    collection = resource.get("collection") if isinstance(resource.get("collection"), dict) else {}
    paid = collection.get("paid_amount")
    if not isinstance(paid, int) or isinstance(paid, bool):
        paid = None
    details = collection.get("details") if isinstance(collection.get("details"), list) else []
    transaction_ids = [str(d.get("transaction_id", "")) for d in details if isinstance(d, dict)]
    paid_in_full = collection.get("state") == "USER_PAID" or resource.get("state") == "DONE"
    return TransactionState(
        out_trade_no=out_trade_no,
        trade_state="SUCCESS" if paid_in_full else str(collection.get("state") or resource.get("state") or ""),
        transaction_id=next((t for t in reversed(transaction_ids) if t), str(resource.get("order_id", ""))),
        amount_fen=paid,
        payload=resource,
    )
