"""WeChat Pay API v3 (微信支付 APIv3), JSAPI payments for the mini-program.

Cryptography comes from the `cryptography` package only:

* every request is signed with the merchant's private key (RSA-SHA256, PKCS#1 v1.5) in the
  `Authorization: WECHATPAY2-SHA256-RSA2048 …` header over "METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY\\n";
* every answer and every callback is verified against the WeChat Pay platform public key
  (`Wechatpay-Timestamp` / `-Nonce` / `-Signature` / `-Serial` over "TIMESTAMP\\nNONCE\\nBODY\\n");
* callback resources are decrypted with the APIv3 key (AEAD_AES_256_GCM);
* `wx.requestPayment` gets paySign = RSA-SHA256 over "APPID\\nTIMESTAMP\\nNONCE\\nPACKAGE\\n".

Pay Score (支付分) contracts and service orders live in `wechat_payscore.py`
(`WeChatPayScoreProvider`, used when WECHATPAY_PAYSCORE_SERVICE_ID is set); this provider alone
has `supports_service_orders = False`.
"""

import base64
import json
import logging
import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils import timezone

from linli.api.parsers import loads
from linli.payments.models import Provider
from linli.payments.providers.base import ProviderError, RefundState, TransactionState

logger = logging.getLogger(__name__)

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
MAX_CLOCK_SKEW_SECONDS = 300


def _load_pem(value: str) -> bytes:
    """A PEM given inline (starts with -----BEGIN) or as a path to a file."""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.encode()
    return Path(text).read_bytes()


class WeChatPayClient:
    def __init__(
        self,
        *,
        mch_id: str,
        app_id: str,
        serial_no: str,
        private_key_pem: bytes,
        platform_public_key_pem: bytes,
        platform_serial: str,
        apiv3_key: str,
        api_base: str,
        timeout: float = 5.0,
    ):
        self.mch_id = mch_id
        self.app_id = app_id
        self.serial_no = serial_no
        self.private_key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(self.private_key, rsa.RSAPrivateKey):
            raise ValueError("WeChat Pay merchant key must be an RSA private key")
        public = serialization.load_pem_public_key(platform_public_key_pem)
        if not isinstance(public, rsa.RSAPublicKey):
            raise ValueError("WeChat Pay platform key must be an RSA public key")
        self.platform_public_key = public
        self.platform_serial = platform_serial
        if len(apiv3_key.encode()) != 32:
            raise ValueError("WeChat Pay APIv3 key must be 32 bytes")
        self.apiv3_key = apiv3_key.encode()
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    # --- signatures -------------------------------------------------------------------------

    def sign(self, message: str) -> str:
        signature = self.private_key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def verify(self, *, timestamp: str, nonce: str, body: bytes, signature: str, serial: str) -> bool:
        """True when the platform key signed "timestamp\\nnonce\\nbody\\n" and the timestamp is fresh."""
        if not (timestamp and nonce and signature) or serial != self.platform_serial:
            return False
        try:
            skew = abs(time.time() - int(timestamp))
        except ValueError:
            return False
        if skew > MAX_CLOCK_SKEW_SECONDS:
            return False
        message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        try:
            self.platform_public_key.verify(
                base64.b64decode(signature, validate=True), message, padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError):
            return False
        return True

    def verify_headers(self, headers, body: bytes) -> bool:
        return self.verify(
            timestamp=headers.get("Wechatpay-Timestamp", ""),
            nonce=headers.get("Wechatpay-Nonce", ""),
            body=body,
            signature=headers.get("Wechatpay-Signature", ""),
            serial=headers.get("Wechatpay-Serial", ""),
        )

    def decrypt(self, resource: dict) -> dict:
        """The plaintext JSON of a callback's AEAD_AES_256_GCM resource. Raises ValueError when it is not authentic."""
        if not isinstance(resource, dict) or resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise ValueError("unsupported resource algorithm")
        try:
            nonce = str(resource["nonce"]).encode()
            ciphertext = base64.b64decode(str(resource["ciphertext"]), validate=True)
            associated = str(resource.get("associated_data") or "").encode()
            plaintext = AESGCM(self.apiv3_key).decrypt(nonce, ciphertext, associated or None)
            data = loads(plaintext)
        except (KeyError, InvalidTag, ValueError) as exc:
            raise ValueError(f"undecryptable resource: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise ValueError("resource is not an object")
        return data

    def authorization(self, method: str, path: str, body: str) -> str:
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        signature = self.sign(f"{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n")
        return (
            f'{SCHEMA} mchid="{self.mch_id}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{self.serial_no}"'
        )

    # --- HTTP -------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, query: dict | None = None, body: dict | None = None) -> dict:
        if query:
            path = f"{path}?{urlencode(query)}"
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")) if body is not None else ""
        headers = {
            "Authorization": self.authorization(method, path, data),
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "linli-backend",
        }
        try:
            response = self.http.request(
                method, self.api_base + path, data=data.encode() or None, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            logger.warning("wechatpay %s %s timed out", method, path.split("?")[0])
            raise ProviderError("timeout", transient=True) from None
        except requests.RequestException as exc:
            logger.warning("wechatpay %s %s unreachable: %s", method, path.split("?")[0], type(exc).__name__)
            raise ProviderError("unreachable", transient=True) from None
        if not self.verify_headers(response.headers, response.content):
            logger.error("wechatpay %s %s: answer with an invalid signature", method, path.split("?")[0])
            raise ProviderError("invalid response signature", code="SIGN_ERROR", transient=True)
        try:
            payload = response.json() if response.content else {}
        except ValueError:
            raise ProviderError("invalid JSON", transient=True, status=response.status_code) from None
        if response.status_code >= 400:
            code = str(payload.get("code", "")) if isinstance(payload, dict) else ""
            message = str(payload.get("message", "")) if isinstance(payload, dict) else ""
            logger.info("wechatpay %s %s: HTTP %s %s", method, path.split("?")[0], response.status_code, code)
            raise ProviderError(
                message or f"HTTP {response.status_code}",
                code=code,
                transient=response.status_code >= 500 or code == "SYSTEM_ERROR",
                status=response.status_code,
            )
        return payload if isinstance(payload, dict) else {}


def _rfc3339(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


_REFUND_STATES = {"SUCCESS": "succeeded", "PROCESSING": "pending", "CLOSED": "failed", "ABNORMAL": "failed"}


class WeChatPayProvider:
    name = Provider.WECHAT_PAY
    supports_service_orders = False

    def __init__(self, client: WeChatPayClient, *, notify_base: str):
        self.client = client
        self.notify_base = notify_base.rstrip("/")

    @classmethod
    def from_settings(cls) -> "WeChatPayProvider":
        client = WeChatPayClient(
            mch_id=settings.WECHATPAY_MCH_ID,
            app_id=settings.WECHATPAY_APP_ID,
            serial_no=settings.WECHATPAY_SERIAL_NO,
            private_key_pem=_load_pem(settings.WECHATPAY_PRIVATE_KEY),
            platform_public_key_pem=_load_pem(settings.WECHATPAY_PLATFORM_PUBLIC_KEY),
            platform_serial=settings.WECHATPAY_PLATFORM_SERIAL,
            apiv3_key=settings.WECHATPAY_APIV3_KEY,
            api_base=settings.WECHATPAY_API_BASE,
            timeout=settings.WECHATPAY_TIMEOUT_SECONDS,
        )
        return cls(client, notify_base=settings.WECHATPAY_NOTIFY_BASE)

    def prepare(self, intent, *, openid: str) -> tuple[str, dict]:
        body = {
            "appid": self.client.app_id,
            "mchid": self.client.mch_id,
            "description": intent.description[:127],
            "out_trade_no": intent.out_trade_no,
            "notify_url": f"{self.notify_base}/api/v1/payments/wechat/notify/",
            "amount": {"total": intent.cash_fen, "currency": "CNY"},
            "payer": {"openid": openid},
        }
        if intent.expires_at:
            body["time_expire"] = _rfc3339(intent.expires_at)
        data = self.client.request("POST", "/v3/pay/transactions/jsapi", body=body)
        prepay_id = str(data.get("prepay_id") or "")
        if not prepay_id:
            raise ProviderError("answer without prepay_id", transient=True)
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        package = f"prepay_id={prepay_id}"
        pay_sign = self.client.sign(f"{self.client.app_id}\n{timestamp}\n{nonce}\n{package}\n")
        return prepay_id, {
            "provider": self.name,
            "appId": self.client.app_id,
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": pay_sign,
        }

    def query(self, intent) -> TransactionState | None:
        try:
            data = self.client.request(
                "GET",
                f"/v3/pay/transactions/out-trade-no/{quote(intent.out_trade_no)}",
                query={"mchid": self.client.mch_id},
            )
        except ProviderError as exc:
            if exc.code == "ORDER_NOT_EXIST" or exc.status == 404:
                return None
            raise
        return transaction_state(data)

    def close(self, intent) -> None:
        self.client.request(
            "POST",
            f"/v3/pay/transactions/out-trade-no/{quote(intent.out_trade_no)}/close",
            body={"mchid": self.client.mch_id},
        )

    def refund_target(self, intent) -> dict:
        """How the refund API names the payment: our out_trade_no (Pay Score charges use transaction_id)."""
        return {"out_trade_no": intent.out_trade_no}

    def refund(self, refund) -> RefundState:
        data = self.client.request(
            "POST",
            "/v3/refund/domestic/refunds",
            body={
                **self.refund_target(refund.intent),
                "out_refund_no": refund.out_refund_no,
                "reason": refund.reason[:80],
                "notify_url": f"{self.notify_base}/api/v1/payments/wechat/refund-notify/",
                "amount": {"refund": refund.cash_fen, "total": refund.intent.cash_fen, "currency": "CNY"},
            },
        )
        status = _REFUND_STATES.get(str(data.get("status", "")), "pending")
        return RefundState(
            status=status, provider_refund_id=str(data.get("refund_id", "")), detail=data.get("status", "")
        )

    def refund_query(self, out_refund_no: str) -> dict | None:
        """WeChat Pay's view of a refund (status SUCCESS / PROCESSING / CLOSED / ABNORMAL), None when unknown."""
        try:
            return self.client.request("GET", f"/v3/refund/domestic/refunds/{quote(out_refund_no)}")
        except ProviderError as exc:
            if exc.status == 404 or exc.code in ("RESOURCE_NOT_EXISTS", "NOT_FOUND"):
                return None
            raise


def transaction_state(data: dict) -> TransactionState:
    """A v3 transaction (query answer or decrypted TRANSACTION.* resource) → TransactionState."""
    amount = data.get("amount") if isinstance(data.get("amount"), dict) else {}
    total = amount.get("total")
    return TransactionState(
        out_trade_no=str(data.get("out_trade_no", "")),
        trade_state=str(data.get("trade_state", "")),
        transaction_id=str(data.get("transaction_id", "")),
        amount_fen=total if isinstance(total, int) and not isinstance(total, bool) else None,
        payload=data,
    )
