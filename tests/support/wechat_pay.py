"""A WeChat Pay v3 stand-in for tests: test RSA keys made here, a signed stub server, signed callbacks."""

import base64
import json
import secrets
import time
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

APIV3_KEY = "0123456789abcdef0123456789abcdef"
MCH_ID = "1900000109"
APP_ID = "wx-test-app"
MCH_SERIAL = "MCH-SERIAL-1"
PLATFORM_SERIAL = "PUB_KEY_ID_0114232134912410000000000000"


def _pem_private(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _pem_public(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rsa_sign(key, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_verify(public_key, signature: str, message: bytes) -> None:
    public_key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())


@dataclass
class Keys:
    merchant: rsa.RSAPrivateKey
    platform: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> "Keys":
        return cls(
            merchant=rsa.generate_private_key(public_exponent=65537, key_size=2048),
            platform=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        )

    def configure(self, settings, api_base: str) -> None:
        settings.PAYMENTS_PROVIDER = "wechat_pay"
        settings.WECHATPAY_MCH_ID = MCH_ID
        settings.WECHATPAY_APP_ID = APP_ID
        settings.WECHATPAY_SERIAL_NO = MCH_SERIAL
        settings.WECHATPAY_PRIVATE_KEY = _pem_private(self.merchant)
        settings.WECHATPAY_PLATFORM_PUBLIC_KEY = _pem_public(self.platform)
        settings.WECHATPAY_PLATFORM_SERIAL = PLATFORM_SERIAL
        settings.WECHATPAY_APIV3_KEY = APIV3_KEY
        settings.WECHATPAY_API_BASE = api_base
        settings.WECHATPAY_NOTIFY_BASE = "https://linli.example.cn"

    def platform_headers(self, body: bytes, *, key=None, timestamp: int | None = None) -> dict:
        """The Wechatpay-* headers WeChat Pay puts on answers and callbacks."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        nonce = secrets.token_hex(16)
        signature = rsa_sign(key or self.platform, ts.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n")
        return {
            "Wechatpay-Timestamp": ts,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature,
            "Wechatpay-Serial": PLATFORM_SERIAL,
        }

    def answer(self, status: int, payload: dict | None):
        """A stub-server answer signed like WeChat Pay's."""
        body = json.dumps(payload).encode() if payload is not None else b""
        return status, body, self.platform_headers(body)

    def callback(self, event_type: str, resource: dict, *, notification_id: str | None = None):
        """(body bytes, headers) of a callback with `resource` encrypted under the APIv3 key."""
        nonce = secrets.token_hex(6)
        associated = "transaction" if event_type.startswith("TRANSACTION") else "refund"
        ciphertext = AESGCM(APIV3_KEY.encode()).encrypt(
            nonce.encode(), json.dumps(resource).encode(), associated.encode()
        )
        envelope = {
            "id": notification_id or secrets.token_hex(8),
            "create_time": "2026-05-01T10:00:00+08:00",
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功",
            "resource": {
                "original_type": associated,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": associated,
                "nonce": nonce,
            },
        }
        body = json.dumps(envelope).encode()
        return body, self.platform_headers(body)


def paid_resource(intent, *, total: int | None = None, transaction_id: str = "4200000001") -> dict:
    return {
        "appid": APP_ID,
        "mchid": MCH_ID,
        "out_trade_no": intent.out_trade_no,
        "transaction_id": transaction_id,
        "trade_type": "JSAPI",
        "trade_state": "SUCCESS",
        "trade_state_desc": "支付成功",
        "success_time": "2026-05-01T10:00:00+08:00",
        "payer": {"openid": intent.payer.wechat_openid},
        "amount": {
            "total": intent.cash_fen if total is None else total,
            "payer_total": intent.cash_fen,
            "currency": "CNY",
        },
    }


def parse_authorization(header: str) -> dict:
    scheme, _, params = header.partition(" ")
    assert scheme == "WECHATPAY2-SHA256-RSA2048"
    out = {}
    for part in params.split(","):
        name, _, value = part.partition("=")
        out[name] = value.strip('"')
    return out


# --- fixtures (imported by tests/payments/conftest.py) --------------------------------------------


@pytest.fixture(scope="session")
def keys() -> Keys:
    """One merchant/platform key pair per test process: RSA key generation is the slow part."""
    return Keys.generate()


@pytest.fixture
def payer(db):
    """A resident who logged in with WeChat (WeChat Pay needs the openid)."""
    from tests import factories

    return factories.make_resident(wechat_openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
