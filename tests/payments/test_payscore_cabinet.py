"""One visit to the unmanned cabinet in real mode, WeChat Pay Score played by the local stub: authorise,
door open → service order, door closed → completed with the settled amount → USER_PAID → order paid."""

import pytest

from linli.devices.models import DeviceCommand
from linli.payments.models import PaymentIntent
from merchants.models import CabinetSession, Product
from tests.merchants.devices import post_event
from tests.merchants.factories import make_cabinet, make_owner, make_product
from tests.support.payscore import SERVICEORDER, payscore_callback, permission_resource

pytestmark = pytest.mark.django_db
SESSIONS = "/api/v1/market/cabinet-sessions/"
NOTIFY = "/api/v1/payments/wechat/payscore-notify/"


@pytest.fixture
def cabinet(community):
    merchant, _ = make_owner(community)
    apple = make_product(merchant, name="红富士苹果", price_fen=450, unit="个", stock=20)
    egg = make_product(merchant, name="土鸡蛋", price_fen=180, unit="枚", stock=30)
    device = make_cabinet(merchant, [("A1", apple, 250, 40), ("B1", egg, 55, 10)], code="huilong-cabinet-1")
    return {"device": device, "apple": apple, "egg": egg}


def callback(api, keys, event_type, resource):
    body, headers = payscore_callback(keys, event_type, resource)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return api.generic("POST", NOTIFY, body, content_type="application/json", **extra)


def test_a_cabinet_visit_is_charged_through_wechat_pay_score(api, as_user, keys, payscore, cabinet, resident):
    client = as_user(resident)
    # Without an authorisation the door stays shut.
    response = client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "payment_contract_required")

    code = client.post("/api/v1/payments/contracts/authorize/").json()["authorization_code"]
    resource = permission_resource(resident.wechat_openid, code)
    assert callback(api, keys, "PAYSCORE.USER_OPEN_SERVICE", resource).status_code == 204

    response = client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert response.status_code == 201, response.content
    session = CabinetSession.objects.get(pk=response.json()["id"])
    service_order = session.service_order
    assert (service_order.provider, service_order.contract.contract_id) == ("wechat_pay", code)
    assert payscore.orders[service_order.out_order_no]["state"] == "DOING"
    assert DeviceCommand.objects.get(device=cabinet["device"]).kind == "open_door"

    slots = [
        {"slot": "A1", "before_g": 5000, "after_g": 4490},  # 2 apples
        {"slot": "B1", "before_g": 1650, "after_g": 1487},  # 3 eggs
    ]
    post_event(cabinet["device"], "cabinet.door_closed", {"session": session.pk, "slots": slots}, event_id="e1")
    session.refresh_from_db()
    order = session.order
    total = 2 * 450 + 3 * 180
    assert (session.status, order.total_fen, order.status) == ("settled", total, "pending_payment")
    completion = [r for r in payscore.stub.requests if r.path.endswith("/complete")]
    assert [r.json["total_amount"] for r in completion] == [total]
    assert completion[0].path == f"{SERVICEORDER}/{service_order.out_order_no}/complete"
    assert Product.objects.get(pk=cabinet["apple"].pk).stock == 18

    # The same door-closed event again changes nothing and asks WeChat Pay nothing.
    post_event(cabinet["device"], "cabinet.door_closed", {"session": session.pk, "slots": slots}, event_id="e1")
    assert len([r for r in payscore.stub.requests if r.path.endswith("/complete")]) == 1

    paid = payscore.collect(service_order.out_order_no, transaction_id="4200000555")
    assert callback(api, keys, "PAYSCORE.USER_PAID", paid).status_code == 204
    assert callback(api, keys, "PAYSCORE.USER_PAID", paid).status_code == 204  # WeChat Pay retrying
    order.refresh_from_db()
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id)
    assert (intent.status, intent.amount_fen, intent.provider_transaction_id) == ("succeeded", total, "4200000555")
    assert order.status == "completed"
    receipt = client.get(f"/api/v1/market/orders/{order.pk}/").json()
    assert [h["to_status"] for h in receipt["history"]] == ["pending_payment", "paid", "completed"]


def test_an_empty_visit_cancels_the_service_order(api, as_user, keys, payscore, cabinet, resident):
    client = as_user(resident)
    code = client.post("/api/v1/payments/contracts/authorize/").json()["authorization_code"]
    callback(api, keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(resident.wechat_openid, code))
    session = CabinetSession.objects.get(
        pk=client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json").json()["id"]
    )
    slots = [{"slot": "A1", "before_g": 5000, "after_g": 4995}]
    post_event(cabinet["device"], "cabinet.door_closed", {"session": session.pk, "slots": slots}, event_id="e1")
    session.refresh_from_db()
    assert (session.status, session.service_order.status) == ("empty", "cancelled")
    assert payscore.orders[session.service_order.out_order_no]["state"] == "REVOKED"
    assert not PaymentIntent.objects.exists()


def test_when_wechat_pay_refuses_the_door_stays_shut(api, as_user, keys, stub, payscore, cabinet, resident):
    client = as_user(resident)
    code = client.post("/api/v1/payments/contracts/authorize/").json()["authorization_code"]
    callback(api, keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(resident.wechat_openid, code))
    stub.route("POST", SERVICEORDER, lambda req: keys.answer(403, {"code": "RULE_LIMIT", "message": "支付分不足"}))
    response = client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "payscore_rejected" and "支付分不足" in response.json()["message"]
    assert not CabinetSession.objects.exists() and not DeviceCommand.objects.exists()
    stub.route("POST", SERVICEORDER, lambda req: keys.answer(503, {"code": "SYSTEM_ERROR", "message": "繁忙"}))
    response = client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert (response.status_code, response.json()["code"]) == (502, "upstream_error")
    assert not CabinetSession.objects.exists()
