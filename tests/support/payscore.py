"""WeChat Pay Score on the local stub server: a stateful fake of the service-order API, signed with the
test platform key of `wechat_stub.Keys`, and Pay Score callbacks encrypted under the test APIv3 key."""

import base64
import json
import secrets

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.support.stub_server import StubServer
from tests.support.wechat_pay import APIV3_KEY, APP_ID, MCH_ID, Keys

SERVICE_ID = "500001"
SERVICEORDER = "/v3/payscore/serviceorder"


def configure(keys: Keys, settings, api_base: str) -> None:
    keys.configure(settings, api_base)
    settings.WECHATPAY_PAYSCORE_SERVICE_ID = SERVICE_ID


def payscore_callback(keys: Keys, event_type: str, resource: dict, *, notification_id: str | None = None):
    """(body bytes, headers) of a Pay Score callback (original_type / associated_data "payscore")."""
    nonce = secrets.token_hex(6)
    ciphertext = AESGCM(APIV3_KEY.encode()).encrypt(nonce.encode(), json.dumps(resource).encode(), b"payscore")
    envelope = {
        "id": notification_id or secrets.token_hex(8),
        "create_time": "2026-05-01T10:00:00+08:00",
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": "支付分通知",
        "resource": {
            "original_type": "payscore",
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(ciphertext).decode(),
            "associated_data": "payscore",
            "nonce": nonce,
        },
    }
    body = json.dumps(envelope).encode()
    return body, keys.platform_headers(body)


def permission_resource(openid: str, authorization_code: str, status: str = "USER_OPEN_SERVICE") -> dict:
    return {
        "appid": APP_ID,
        "mchid": MCH_ID,
        "service_id": SERVICE_ID,
        "out_request_no": authorization_code,
        "openid": openid,
        "user_service_status": status,
        "openorclose_time": "20260501100000",
        "authorization_code": authorization_code,
    }


class FakePayScore:
    """Service orders as WeChat Pay keeps them: create → DOING, complete → MCH_COMPLETE, cancel → REVOKED."""

    def __init__(self, keys: Keys, stub):
        self.keys = keys
        self.stub = stub
        self.orders: dict[str, dict] = {}
        stub.route("POST", SERVICEORDER, self.create)
        stub.route("GET", SERVICEORDER, self.query)
        stub.route("POST", "/v3/payscore/permissions", self.permissions)

    def _route_order(self, out_order_no: str) -> None:
        self.stub.route("POST", f"{SERVICEORDER}/{out_order_no}/complete", self.complete)
        self.stub.route("POST", f"{SERVICEORDER}/{out_order_no}/cancel", self.cancel)

    def permissions(self, request):
        return self.keys.answer(200, {"apply_permissions_token": f"token-{request.json['authorization_code']}"})

    def create(self, request):
        body = request.json
        number = body["out_order_no"]
        if number in self.orders:
            return self.keys.answer(400, {"code": "INVALID_REQUEST", "message": "商户订单号重复"})
        self.orders[number] = {
            "appid": body["appid"],
            "mchid": MCH_ID,
            "service_id": body["service_id"],
            "out_order_no": number,
            "service_introduction": body["service_introduction"],
            "state": "DOING",
            "state_description": "",
            "total_amount": 0,
            "risk_fund": body["risk_fund"],
            "time_range": body["time_range"],
            "openid": body["openid"],
            "order_id": f"1000000000{len(self.orders) + 1:022d}",
            "need_collection": True,
        }
        self._route_order(number)
        return self.keys.answer(200, self.orders[number])

    def _order_of(self, request, action: str) -> dict | None:
        return self.orders.get(request.path.removeprefix(f"{SERVICEORDER}/").removesuffix(f"/{action}"))

    def complete(self, request):
        order = self._order_of(request, "complete")
        if order is None or order["state"] != "DOING" or order["state_description"] == "MCH_COMPLETE":
            return self.keys.answer(400, {"code": "INVALID_REQUEST", "message": "订单状态不允许完结"})
        order.update(
            state_description="MCH_COMPLETE",
            total_amount=request.json["total_amount"],
            post_payments=request.json["post_payments"],
        )
        return self.keys.answer(200, order)

    def cancel(self, request):
        order = self._order_of(request, "cancel")
        if order is None or order["state"] != "DOING" or order["state_description"] == "MCH_COMPLETE":
            return self.keys.answer(400, {"code": "INVALID_REQUEST", "message": "订单状态不允许取消"})
        order.update(state="REVOKED", reason=request.json["reason"])
        return self.keys.answer(200, order)

    def query(self, request):
        order = self.orders.get(request.query.get("out_order_no", [""])[0])
        if order is None:
            return self.keys.answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        return self.keys.answer(200, order)

    def collect(self, out_order_no: str, *, transaction_id: str = "4200000999") -> dict:
        """WeChat Pay deducts a completed order; returns the PAYSCORE.USER_PAID resource."""
        order = self.orders[out_order_no]
        total = order["total_amount"]
        order.update(
            state="DONE",
            collection={
                "state": "USER_PAID",
                "total_amount": total,
                "paying_amount": 0,
                "paid_amount": total,
                "details": [
                    {
                        "seq": 1,
                        "amount": total,
                        "paid_type": "NEWTON",
                        "paid_time": "20260501100500",
                        "transaction_id": transaction_id,
                    }
                ],
            },
        )
        return dict(order)


# --- fixtures (imported by tests/payments/conftest.py) --------------------------------------------


@pytest.fixture
def stub(keys, settings):
    """WeChat Pay with Pay Score, played by a local stub server."""
    with StubServer() as server:
        configure(keys, settings, server.url)
        yield server


@pytest.fixture
def payscore(keys, stub):
    return FakePayScore(keys, stub)
