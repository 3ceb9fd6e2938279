"""Pay Score authorisation and callbacks: starting 免确认 authorisation, USER_OPEN_SERVICE / USER_CLOSE_SERVICE
turning contracts on and off, USER_PAID through the shared payment handler; forged or replayed callbacks."""

import json

import pytest

from linli.api.errors import ConflictError
from linli.payments import services
from linli.payments.models import PaymentContract, PaymentIntent, PaymentNotification
from tests import factories
from tests.support.payscore import (
    SERVICE_ID,
    payscore_callback,
    permission_resource,
)
from tests.support.wechat_pay import APP_ID, Keys, parse_authorization, rsa_verify

pytestmark = pytest.mark.django_db
NOTIFY = "/api/v1/payments/wechat/payscore-notify/"
AUTHORIZE = "/api/v1/payments/contracts/authorize/"
CONTRACTS = "/api/v1/payments/contracts/"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.fixture
def payer(db):
    return factories.make_resident(wechat_openid=OPENID)


def post_callback(api, body, headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return api.generic("POST", NOTIFY, body, content_type="application/json", **extra)


def authorized(api, keys, payer, code="LA20260501100000abcdef012345") -> PaymentContract:
    body, headers = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(OPENID, code))
    assert post_callback(api, body, headers).status_code == 204
    return PaymentContract.objects.get(contract_id=code)


# --- authorisation ----------------------------------------------------------------------------


def test_starting_the_authorisation_gives_the_pay_score_page(as_user, keys, payscore, stub, payer):
    response = as_user(payer).post(AUTHORIZE)
    assert response.status_code == 200, response.content
    data = response.json()
    code = data["authorization_code"]
    assert data["provider"] == "wechat_pay" and data["contract"] is None
    request = stub.requests[-1]
    assert request.path == "/v3/payscore/permissions"
    assert request.json == {
        "service_id": SERVICE_ID,
        "appid": APP_ID,
        "authorization_code": code,
        "notify_url": "https://linli.example.cn/api/v1/payments/wechat/payscore-notify/",
    }
    auth = parse_authorization(request.headers["Authorization"])
    message = f"POST\n/v3/payscore/permissions\n{auth['timestamp']}\n{auth['nonce_str']}\n".encode()
    rsa_verify(keys.merchant.public_key(), auth["signature"], message + request.body + b"\n")
    token = f"token-{code}"
    assert data["apply_permissions_token"] == token
    assert data["navigate_to_mini_program"] == {
        "appId": "wxd8f3793ea3b935b8",
        "path": "pages/use/enable",
        "extraData": {"apply_permissions_token": token},
    }
    assert data["open_business_view"] == {
        "businessType": "wxpayScoreEnable",
        "extraData": {"apply_permissions_token": token},
    }
    assert not PaymentContract.objects.exists()  # only WeChat Pay's callback makes it active


def test_an_active_contract_is_returned_instead_of_a_new_authorisation(api, as_user, keys, payscore, stub, payer):
    contract = authorized(api, keys, payer)
    response = as_user(payer).post(AUTHORIZE)
    assert response.json()["contract"]["contract_id"] == contract.contract_id
    assert response.json()["navigate_to_mini_program"] is None
    assert not any(r.path == "/v3/payscore/permissions" for r in stub.requests)


def test_the_authorisation_needs_a_wechat_login(as_user, payscore, stub):
    response = as_user(factories.make_user()).post(AUTHORIZE)
    assert (response.status_code, response.json()["code"]) == (409, "wechat_login_required")


def test_a_refused_authorisation_is_a_400_and_an_outage_a_502(as_user, keys, stub, payer):
    stub.route(
        "POST",
        "/v3/payscore/permissions",
        lambda req: keys.answer(400, {"code": "PARAM_ERROR", "message": "service_id 无效"}),
    )
    response = as_user(payer).post(AUTHORIZE)
    assert response.status_code == 400
    assert response.json()["code"] == "payscore_rejected" and "service_id 无效" in response.json()["message"]
    stub.route("POST", "/v3/payscore/permissions", lambda req: keys.answer(502, {"code": "SYSTEM_ERROR"}))
    response = as_user(payer).post(AUTHORIZE)
    assert (response.status_code, response.json()["code"]) == (502, "upstream_error")


def test_without_pay_score_the_authorisation_is_unavailable(as_user, stub, settings, payer):
    settings.WECHATPAY_PAYSCORE_SERVICE_ID = ""
    response = as_user(payer).post(AUTHORIZE)
    assert (response.status_code, response.json()["code"]) == (409, "payscore_unavailable")


def test_in_the_sandbox_the_authorisation_signs_at_once(as_user, resident, settings):
    settings.PAYMENTS_PROVIDER = ""
    settings.WECHATPAY_MCH_ID = ""
    response = as_user(resident).post(AUTHORIZE)
    assert response.status_code == 200
    assert response.json()["contract"]["provider"] == "sandbox"
    assert as_user(resident).post(AUTHORIZE).json()["contract"] == response.json()["contract"]


# --- permission callbacks -------------------------------------------------------------------


def test_the_users_acceptance_activates_a_contract(api, as_user, keys, payscore, payer):
    contract = authorized(api, keys, payer)
    assert (contract.user, contract.provider, contract.status) == (payer, "wechat_pay", "active")
    listed = as_user(payer).get(CONTRACTS).json()["results"]
    assert [c["contract_id"] for c in listed] == [contract.contract_id]
    assert PaymentNotification.objects.get().event_type == "PAYSCORE.USER_OPEN_SERVICE"


def test_a_replayed_acceptance_changes_nothing(api, keys, payscore, payer):
    body, headers = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(OPENID, "LA1"))
    assert post_callback(api, body, headers).status_code == 204
    assert post_callback(api, body, headers).status_code == 204
    assert PaymentContract.objects.count() == 1
    assert list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "applied",
        "duplicate",
    ]


def test_a_new_acceptance_replaces_the_old_contract(api, keys, payscore, payer):
    old = authorized(api, keys, payer, code="LA-old")
    new = authorized(api, keys, payer, code="LA-new")
    old.refresh_from_db()
    assert (old.status, new.status) == ("terminated", "active")


def test_closing_in_wechat_terminates_the_contract_and_a_late_acceptance_does_not_revive_it(api, keys, payscore, payer):
    contract = authorized(api, keys, payer)
    resource = permission_resource(OPENID, contract.contract_id, "USER_CLOSE_SERVICE")
    body, headers = payscore_callback(keys, "PAYSCORE.USER_CLOSE_SERVICE", resource)
    assert post_callback(api, body, headers).status_code == 204
    assert post_callback(api, body, headers).status_code == 204
    contract.refresh_from_db()
    assert contract.status == "terminated"
    authorized(api, keys, payer, code=contract.contract_id)  # WeChat Pay retrying the old acceptance
    contract.refresh_from_db()
    assert contract.status == "terminated"
    assert not PaymentContract.objects.filter(status="active").exists()


def test_an_acceptance_for_someone_we_do_not_know_is_logged_and_acknowledged(api, keys, payscore):
    body, headers = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource("o-stranger", "LA9"))
    assert post_callback(api, body, headers).status_code == 204
    assert not PaymentContract.objects.exists()
    assert PaymentNotification.objects.get().outcome == "unknown"


def test_ending_the_contract_here_ends_it_at_wechat_pay(api, as_user, keys, payscore, stub, payer):
    contract = authorized(api, keys, payer)
    path = f"/v3/payscore/permissions/authorization-code/{contract.contract_id}/terminate"
    stub.route("POST", path, lambda req: keys.answer(204, None))
    response = as_user(payer).post(f"{CONTRACTS}{contract.pk}/terminate/")
    assert (response.status_code, response.json()["status"]) == (200, "terminated")
    assert stub.requests[-1].path == path
    assert stub.requests[-1].json == {"service_id": SERVICE_ID, "reason": "用户在邻礼通解除授权"}


def test_ending_a_contract_wechat_pay_cannot_reach_keeps_it(api, as_user, keys, payscore, stub, payer):
    contract = authorized(api, keys, payer)
    path = f"/v3/payscore/permissions/authorization-code/{contract.contract_id}/terminate"
    stub.route("POST", path, lambda req: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "系统繁忙"}))
    response = as_user(payer).post(f"{CONTRACTS}{contract.pk}/terminate/")
    assert (response.status_code, response.json()["code"]) == (502, "upstream_error")
    contract.refresh_from_db()
    assert contract.status == "active"


# --- signatures -------------------------------------------------------------------------------


def test_a_forged_callback_is_refused_and_changes_nothing(api, keys, payscore, payer):
    body, _ = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(OPENID, "LA1"))
    response = post_callback(api, body, Keys.generate().platform_headers(body))
    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert not PaymentContract.objects.exists() and not PaymentNotification.objects.exists()


def test_a_tampered_or_stale_callback_is_refused(api, keys, payscore, payer):
    body, headers = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(OPENID, "LA1"))
    tampered = body.replace(b"USER_OPEN_SERVICE", b"USER_CLOSE_SERVICE")
    assert post_callback(api, tampered, headers).status_code == 401
    stale = keys.platform_headers(body, timestamp=int(headers["Wechatpay-Timestamp"]) - 3600)
    assert post_callback(api, body, stale).status_code == 401
    assert not PaymentContract.objects.exists()


def test_a_resource_not_encrypted_with_our_key_is_refused(api, keys, payscore, payer):
    body, _ = payscore_callback(keys, "PAYSCORE.USER_OPEN_SERVICE", permission_resource(OPENID, "LA1"))
    envelope = json.loads(body)
    envelope["resource"]["associated_data"] = "transaction"
    body = json.dumps(envelope).encode()
    response = post_callback(api, body, keys.platform_headers(body))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_notification")


def test_the_endpoint_is_not_there_without_wechat_pay(api, settings):
    settings.WECHATPAY_MCH_ID = ""
    assert post_callback(api, b"{}", {}).status_code == 404


# --- USER_PAID --------------------------------------------------------------------------------


def completed_service_order(api, keys, payscore, payer, amount_fen=1440):
    authorized(api, keys, payer)
    service_order = services.service_order_create(
        payer=payer, purpose="tests.cabinet", reference="1", description="无人果蔬柜", risk_amount_fen=20000
    )
    intent = services.service_order_complete(service_order=service_order, amount_fen=amount_fen)
    return service_order, intent


def test_user_paid_marks_the_charge_paid_once(api, keys, payscore, payer, heard):
    service_order, intent = completed_service_order(api, keys, payscore, payer)
    resource = payscore.collect(service_order.out_order_no, transaction_id="4200000123")
    body, headers = payscore_callback(keys, "PAYSCORE.USER_PAID", resource)
    assert post_callback(api, body, headers).status_code == 204
    intent.refresh_from_db()
    assert (intent.status, intent.provider_transaction_id) == ("succeeded", "4200000123")
    paid_at = intent.paid_at
    assert post_callback(api, body, headers).status_code == 204  # replay
    intent.refresh_from_db()
    assert intent.paid_at == paid_at
    assert heard == [("payment_succeeded", intent.pk, None)]
    notes = PaymentNotification.objects.filter(event_type="PAYSCORE.USER_PAID").order_by("id")
    assert [(n.outcome, n.out_trade_no) for n in notes] == [
        ("applied", intent.out_trade_no),
        ("duplicate", intent.out_trade_no),
    ]


def test_user_paid_with_another_amount_is_rejected(api, keys, payscore, payer, heard):
    service_order, intent = completed_service_order(api, keys, payscore, payer)
    resource = payscore.collect(service_order.out_order_no)
    resource["collection"]["paid_amount"] = 1
    body, headers = payscore_callback(keys, "PAYSCORE.USER_PAID", resource)
    response = post_callback(api, body, headers)
    assert (response.status_code, response.json()["code"]) == (400, "amount_mismatch")
    assert PaymentIntent.objects.get(pk=intent.pk).status == "created"
    assert heard == []


def test_user_paid_for_an_order_we_have_not_completed_asks_for_a_retry(api, keys, payscore, payer):
    authorized(api, keys, payer)
    service_order = services.service_order_create(
        payer=payer, purpose="tests.cabinet", reference="1", description="无人果蔬柜", risk_amount_fen=20000
    )
    payscore.orders[service_order.out_order_no]["total_amount"] = 500
    body, headers = payscore_callback(keys, "PAYSCORE.USER_PAID", payscore.collect(service_order.out_order_no))
    response = post_callback(api, body, headers)
    assert (response.status_code, response.json()["code"]) == (503, "notification_not_ready")
    assert not PaymentNotification.objects.filter(event_type="PAYSCORE.USER_PAID").exists()


def test_user_paid_for_an_unknown_order_is_logged_and_acknowledged(api, keys, payscore):
    resource = {"out_order_no": "LS-unknown", "state": "DONE", "collection": {"state": "USER_PAID", "paid_amount": 1}}
    body, headers = payscore_callback(keys, "PAYSCORE.USER_PAID", resource)
    assert post_callback(api, body, headers).status_code == 204
    assert PaymentNotification.objects.get().outcome == "unknown"


def test_other_pay_score_events_are_recorded_and_ignored(api, keys, payscore):
    body, headers = payscore_callback(keys, "PAYSCORE.USER_CONFIRM", {"out_order_no": "LS1"})
    assert post_callback(api, body, headers).status_code == 204
    assert PaymentNotification.objects.get().outcome == "ignored"


def test_a_pay_score_charge_cannot_be_paid_again_by_hand(api, keys, payscore, payer):
    _, intent = completed_service_order(api, keys, payscore, payer)
    with pytest.raises(ConflictError) as caught:
        services.payment_intent_prepare(intent=intent)
    assert caught.value.code == "collected_by_payscore"
    assert not any(r.path == "/v3/pay/transactions/jsapi" for r in payscore.stub.requests)


def test_a_pay_score_charge_is_refunded_by_its_transaction_id(api, keys, payscore, stub, payer):
    service_order, intent = completed_service_order(api, keys, payscore, payer)
    resource = payscore.collect(service_order.out_order_no, transaction_id="4200000321")
    post_callback(api, *payscore_callback(keys, "PAYSCORE.USER_PAID", resource))
    stub.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(200, {"refund_id": "5000000001", "status": "PROCESSING"}),
    )
    intent.refresh_from_db()
    refund = services.refund_create(intent=intent, amount_fen=450, reason="苹果有损伤")
    sent = stub.requests[-1].json
    assert sent["transaction_id"] == "4200000321" and "out_trade_no" not in sent
    assert sent["out_refund_no"] == refund.out_refund_no
    assert sent["amount"] == {"refund": 450, "total": 1440, "currency": "CNY"}
