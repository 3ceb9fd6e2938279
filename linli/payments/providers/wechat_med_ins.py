"""WeChat Pay 医保自费混合收款 (mobile medical-insurance payment, API v3) for the drug vending machine.

One mixed order per intent: `insurance_fen` from the medical-insurance personal account and
`cash_fen` through WeChat Pay. The mix type follows the parts: CASH_ONLY, INSURANCE_ONLY or
CASH_AND_INSURANCE. The cash part needs a JSAPI prepay first (its prepay_id goes into the mixed
order); the mini-program then calls `wx.requestMedicalInsurancePay` with `mixTradeNo` and the cash
parameters. Signing, answer verification and decryption are `wechat.WeChatPayClient`'s.

Creating twice must never make two orders: when `POST /v3/med-ins/orders` times out (or the
connection drops) we first ask `GET /v3/med-ins/orders/out-trade-no/{out_trade_no}`, and only when
WeChat has never heard of that out_trade_no do we send the creation again (with the same number).

WeChat Pay's result (医保混合收款成功通知) comes to `POST /api/v1/payments/wechat/med-ins-notify/`
(the order's callback_url), verified and decrypted like the payment callback, the decrypted mixed order
mapped by `mixed_order_state` into `services.payment_notification_handle`.

Not covered here (see the README): the 医保 platform's own steps before the order (费用明细上传 /
预结算, which yield `pay_order_id` and the payer's `pay_auth_no`), and the 医保 part of refunds,
which the 医保 platform performs; this provider refunds the cash part (same out_refund_no, WeChat's
refund API and callback) and reports the insurance part as pending. The beat job
`payments.med_ins_refunds_sync` (`linli.payments.services.med_ins`) then asks WeChat about both parts
(`refund_state`) and completes or fails the refund through the refund notification handler.
"""

import logging
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone

from linli.payments.models import Provider
from linli.payments.providers.base import ProviderError, RefundState, TransactionState
from linli.payments.providers.wechat import WeChatPayProvider

logger = logging.getLogger(__name__)

CREATE_PATH = "/v3/med-ins/orders"
QUERY_PATH = "/v3/med-ins/orders/out-trade-no/{out_trade_no}"
REFUND_NOTIFY_PATH = "/v3/med-ins/refunds/notify"

# mix_pay_status → the trade_state our notification handler understands
_STATES = {
    "MIX_PAY_CREATED": "NOTPAY",
    "MIX_PAY_SUCCESS": "SUCCESS",
    "MIX_PAY_FAIL": "PAYERROR",
    "MIX_PAY_REFUND": "REFUND",
}


def mix_pay_type(intent) -> str:
    if intent.insurance_fen and intent.cash_fen:
        return "CASH_AND_INSURANCE"
    return "INSURANCE_ONLY" if intent.insurance_fen else "CASH_ONLY"


def mixed_order_state(data: dict, *, out_trade_no: str) -> TransactionState:
    cash = data.get("wechat_pay_cash_fee")
    return TransactionState(
        out_trade_no=str(data.get("out_trade_no") or out_trade_no),
        trade_state=_STATES.get(str(data.get("mix_pay_status", "")), str(data.get("mix_pay_status", ""))),
        transaction_id=str(data.get("mix_trade_no", "")),
        amount_fen=cash if isinstance(cash, int) and not isinstance(cash, bool) else None,
        payload=data,
    )


class WeChatMedInsProvider:
    name = Provider.WECHAT_MED_INS
    supports_service_orders = False
    supports_insurance = True

    def __init__(self, cash: WeChatPayProvider, *, city_id: str, med_inst_no: str, med_inst_name: str):
        self.cash = cash
        self.client = cash.client
        self.city_id = city_id
        self.med_inst_no = med_inst_no
        self.med_inst_name = med_inst_name

    @classmethod
    def from_settings(cls) -> "WeChatMedInsProvider":
        return cls(
            WeChatPayProvider.from_settings(),
            city_id=settings.WECHATPAY_MED_INS_CITY_ID,
            med_inst_no=settings.WECHATPAY_MED_INST_NO,
            med_inst_name=settings.WECHATPAY_MED_INST_NAME,
        )

    # --- insurance part: confirmed by the payer in WeChat, nothing to take or give back here ---------

    def insurance_settle(self, intent) -> bool:
        return False

    def insurance_release(self, intent) -> None:
        return None

    # --- the mixed order ----------------------------------------------------------------------

    def order_body(self, intent, *, openid: str, prepay_id: str) -> dict:
        body = {
            "mix_pay_type": mix_pay_type(intent),
            "order_type": "PHARMACY_PAY",
            "appid": self.client.app_id,
            "openid": openid,
            "pay_for_relatives": False,
            "out_trade_no": intent.out_trade_no,
            "serial_no": intent.out_trade_no,
            "city_id": self.city_id,
            "med_inst_name": self.med_inst_name,
            "med_inst_no": self.med_inst_no,
            "med_ins_order_create_time": timezone.localtime(intent.created_at).isoformat(timespec="seconds"),
            "total_fee": intent.insurance_fen + intent.cash_fen,
            "med_ins_gov_fee": 0,
            "med_ins_self_fee": intent.insurance_fen,
            "med_ins_other_fee": 0,
            "med_ins_cash_fee": 0,
            "wechat_pay_cash_fee": intent.cash_fen,
            "callback_url": f"{self.cash.notify_base}/api/v1/payments/wechat/med-ins-notify/",
        }
        if prepay_id:
            body["prepay_id"] = prepay_id
        return body

    def create_order(self, intent, *, openid: str, prepay_id: str) -> dict:
        """POST the mixed order; on a timeout, query by out_trade_no before sending it again (once)."""
        body = self.order_body(intent, openid=openid, prepay_id=prepay_id)
        try:
            return self.client.request("POST", CREATE_PATH, body=body)
        except ProviderError as exc:
            if not exc.transient or exc.status is not None:
                raise
            logger.warning("med-ins order %s: creation unanswered (%s), querying first", intent.out_trade_no, exc)
        existing = self.query_order(intent.out_trade_no)
        if existing is not None:
            return existing
        return self.client.request("POST", CREATE_PATH, body=body)

    def query_order(self, out_trade_no: str) -> dict | None:
        try:
            return self.client.request("GET", QUERY_PATH.format(out_trade_no=quote(out_trade_no)))
        except ProviderError as exc:
            if exc.status == 404 or exc.code in ("ORDER_NOT_EXIST", "RESOURCE_NOT_EXISTS", "NOT_FOUND"):
                return None
            raise

    def prepare(self, intent, *, openid: str) -> tuple[str, dict]:
        cash_params: dict = {}
        prepay_id = ""
        if intent.cash_fen:
            prepay_id, cash_params = self.cash.prepare(intent, openid=openid)
        data = self.create_order(intent, openid=openid, prepay_id=prepay_id)
        mix_trade_no = str(data.get("mix_trade_no") or "")
        if not mix_trade_no:
            raise ProviderError("answer without mix_trade_no", transient=True)
        params = {"provider": self.name, "mixTradeNo": mix_trade_no}
        params.update({k: v for k, v in cash_params.items() if k != "provider"})
        return mix_trade_no, params

    def query(self, intent) -> TransactionState | None:
        data = self.query_order(intent.out_trade_no)
        return None if data is None else mixed_order_state(data, out_trade_no=intent.out_trade_no)

    def close(self, intent) -> None:
        # A mixed order cannot be closed through this API; an unpaid one lapses at WeChat. Its cash
        # JSAPI order can be closed.
        if intent.cash_fen:
            self.cash.close(intent)

    def refund_state(self, refund) -> tuple[str, int, str]:
        """Where both parts of a pending refund stand: (refund_status, cash refunded, WeChat's refund id).

        refund_status is what the refund notification handler understands: SUCCESS once the cash part
        (if any) is refunded *and* the mixed order shows the insurance part refunded (the 医保 refund was
        reported to WeChat: med_ins_pay_status MED_INS_PAY_REFUND or mix_pay_status MIX_PAY_REFUND);
        CLOSED / ABNORMAL when the cash refund failed; PROCESSING otherwise."""
        cash_status, cash_refunded, refund_id = "SUCCESS", 0, ""
        if refund.cash_fen:
            data = self.cash.refund_query(refund.out_refund_no)
            if data is None:
                return "PROCESSING", 0, ""
            cash_status = str(data.get("status", ""))
            amount = data.get("amount") if isinstance(data.get("amount"), dict) else {}
            refunded = amount.get("refund")
            cash_refunded = refunded if isinstance(refunded, int) and not isinstance(refunded, bool) else None
            refund_id = str(data.get("refund_id", ""))
        if cash_status in ("CLOSED", "ABNORMAL"):
            return cash_status, cash_refunded, refund_id
        if cash_status != "SUCCESS":
            return "PROCESSING", cash_refunded, refund_id
        if refund.insurance_fen:
            order = self.query_order(refund.intent.out_trade_no) or {}
            refunded = (
                order.get("med_ins_pay_status") == "MED_INS_PAY_REFUND"
                or order.get("mix_pay_status") == "MIX_PAY_REFUND"
            )
            if not refunded:
                return "PROCESSING", cash_refunded, refund_id
        return "SUCCESS", cash_refunded, refund_id

    def insurance_refund_report(self, refund, *, refund_time) -> None:
        """医保退款通知: tell WeChat the 医保 platform refunded the insurance part of `refund` (same
        out_refund_no as its cash part). Afterwards the mixed order shows it refunded."""
        self.client.request(
            "POST",
            f"{REFUND_NOTIFY_PATH}?{urlencode({'mix_trade_no': refund.intent.prepay_id})}",
            body={
                "med_refund_total_fee": refund.insurance_fen,
                "med_refund_gov_fee": 0,
                "med_refund_self_fee": refund.insurance_fen,
                "med_refund_other_fee": 0,
                "refund_time": timezone.localtime(refund_time).isoformat(timespec="seconds"),
                "out_refund_no": refund.out_refund_no,
            },
        )

    def refund(self, refund) -> RefundState:
        state = RefundState(status="succeeded", provider_refund_id="")
        if refund.cash_fen:
            state = self.cash.refund(refund)
        if refund.insurance_fen:
            # The 医保 platform refunds the personal-account part and WeChat tells us; until then pending.
            return RefundState(status="pending", provider_refund_id=state.provider_refund_id, detail="医保部分退费中")
        return state
