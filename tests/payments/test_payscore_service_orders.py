"""WeChat Pay Score service orders (免确认模式) against the local stub: signed requests, their shapes,
refusals and outages as 400 / 502, timeouts, and reconciliation when WeChat Pay acted but we missed it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linli.api.errors import DomainError, UpstreamError
from linli.payments import services
from linli.payments.models import PaymentContract, PaymentIntent, ServiceOrder
from linli.payments.providers import get_provider
from linli.payments.providers.wechat import WeChatPayProvider
from linli.payments.providers.wechat_payscore import WeChatPayScoreProvider
from tests import factories
from tests.support.payscore import SERVICE_ID, SERVICEORDER
from tests.support.wechat_pay import APP_ID, MCH_ID, MCH_SERIAL, Keys, parse_authorization, rsa_verify

pytestmark = pytest.mark.django_db
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.fixture
def payer(db):
    user = factories.make_resident(wechat_openid=OPENID)
    PaymentContract.objects.create(user=user, provider="wechat_pay", contract_id="LA-test-contract")
    return user


def open_order(payer, risk=20000) -> ServiceOrder:
    return services.service_order_create(
        payer=payer,
        purpose="tests.cabinet",
        reference="cabinet:1",
        description="回龙市集 无人果蔬柜",
        risk_amount_fen=risk,
    )


def assert_signed(keys, request):
    """The request carries our merchant signature over METHOD, path, timestamp, nonce and body."""
    auth = parse_authorization(request.headers["Authorization"])
    assert (auth["mchid"], auth["serial_no"]) == (MCH_ID, MCH_SERIAL)
    message = f"{request.method}\n{request.path}\n{auth['timestamp']}\n{auth['nonce_str']}\n".encode()
    rsa_verify(keys.merchant.public_key(), auth["signature"], message + request.body + b"\n")


def test_the_service_id_turns_wechat_pay_into_pay_score(stub, settings):
    assert isinstance(get_provider("wechat_pay"), WeChatPayScoreProvider)
    settings.WECHATPAY_PAYSCORE_SERVICE_ID = ""
    provider = get_provider("wechat_pay")
    assert type(provider) is WeChatPayProvider and not provider.supports_service_orders


def test_without_a_service_id_the_cabinet_is_refused_clearly(stub, settings, payer):
    settings.WECHATPAY_PAYSCORE_SERVICE_ID = ""
    with pytest.raises(services.PayScoreUnavailable):
        open_order(payer)
    assert stub.requests == []


def test_it_creates_a_service_order_without_user_confirmation(keys, payscore, stub, payer):
    service_order = open_order(payer)
    assert (service_order.provider, service_order.status) == ("wechat_pay", "created")
    request = stub.requests[-1]
    assert (request.method, request.path) == ("POST", SERVICEORDER)
    assert_signed(keys, request)
    body = request.json
    assert body["out_order_no"] == service_order.out_order_no
    assert (body["appid"], body["service_id"], body["openid"]) == (APP_ID, SERVICE_ID, OPENID)
    assert body["need_user_confirm"] is False
    assert body["service_introduction"] == "回龙市集 无人果蔬柜"
    assert body["risk_fund"] == {"name": "ESTIMATE_ORDER_COST", "amount": 20000, "description": "回龙市集 无人果蔬柜"}
    assert body["notify_url"] == "https://linli.example.cn/api/v1/payments/wechat/payscore-notify/"
    assert len(body["time_range"]["start_time"]) == 14 and body["time_range"]["start_time"].isdigit()


def test_long_descriptions_are_cut_to_what_wechat_pay_accepts(payscore, stub, payer):
    services.service_order_create(
        payer=payer, purpose="t", reference="1", description="很长的服务描述" * 10, risk_amount_fen=100
    )
    body = stub.requests[-1].json
    assert len(body["service_introduction"]) == 20 and len(body["risk_fund"]["description"]) == 20


def test_it_completes_with_the_settled_amount_and_waits_for_the_collection(keys, payscore, stub, payer, heard):
    service_order = open_order(payer)
    intent = services.service_order_complete(service_order=service_order, amount_fen=1440, reference="77")
    request = stub.requests[-1]
    assert (request.method, request.path) == ("POST", f"{SERVICEORDER}/{service_order.out_order_no}/complete")
    assert_signed(keys, request)
    body = request.json
    assert (body["appid"], body["service_id"], body["total_amount"]) == (APP_ID, SERVICE_ID, 1440)
    assert body["post_payments"] == [
        {"name": "回龙市集 无人果蔬柜", "amount": 1440, "description": "回龙市集 无人果蔬柜", "count": 1}
    ]
    assert len(body["time_range"]["end_time"]) == 14
    # WeChat Pay deducts later and says so with PAYSCORE.USER_PAID: nothing is paid yet.
    assert (intent.status, intent.amount_fen, intent.reference, intent.provider) == (
        "created",
        1440,
        "77",
        "wechat_pay",
    )
    assert intent.expires_at is None
    assert heard == []
    service_order.refresh_from_db()
    assert (service_order.status, service_order.intent_id) == ("completed", intent.pk)


def test_it_cancels_with_a_reason(keys, payscore, stub, payer):
    service_order = open_order(payer)
    services.service_order_cancel(service_order=service_order, reason="未产生费用")
    request = stub.requests[-1]
    assert request.path == f"{SERVICEORDER}/{service_order.out_order_no}/cancel"
    assert_signed(keys, request)
    assert request.json == {"appid": APP_ID, "service_id": SERVICE_ID, "reason": "未产生费用"}
    service_order.refresh_from_db()
    assert service_order.status == "cancelled"
    assert payscore.orders[service_order.out_order_no]["state"] == "REVOKED"


def test_completing_with_nothing_taken_cancels_instead(payscore, stub, payer):
    service_order = open_order(payer)
    assert services.service_order_complete(service_order=service_order, amount_fen=0) is None
    assert stub.requests[-1].path.endswith("/cancel")
    assert not PaymentIntent.objects.exists()


def test_it_queries_a_service_order_with_a_signed_get(keys, payscore, stub, payer):
    service_order = open_order(payer)
    provider = get_provider("wechat_pay")
    order = provider.service_order_query(service_order.out_order_no)
    request = stub.requests[-1]
    assert request.method == "GET" and request.path == SERVICEORDER
    assert request.query == {
        "out_order_no": [service_order.out_order_no],
        "service_id": [SERVICE_ID],
        "appid": [APP_ID],
    }
    auth = parse_authorization(request.headers["Authorization"])
    query = f"out_order_no={service_order.out_order_no}&service_id={SERVICE_ID}&appid={APP_ID}"
    message = f"GET\n{SERVICEORDER}?{query}\n{auth['timestamp']}\n{auth['nonce_str']}\n\n".encode()
    rsa_verify(keys.merchant.public_key(), auth["signature"], message)
    assert order["state"] == "DOING"
    assert provider.service_order_query("LS-never-made") is None


def test_a_refusal_is_a_400_with_wechat_pays_reason_and_nothing_is_kept(keys, stub, payer):
    stub.route("POST", SERVICEORDER, lambda req: keys.answer(403, {"code": "RULE_LIMIT", "message": "用户支付分不足"}))
    stub.route("GET", SERVICEORDER, lambda req: keys.answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}))
    with pytest.raises(DomainError) as caught:
        open_order(payer)
    assert (caught.value.status_code, caught.value.code) == (400, "payscore_rejected")
    assert "用户支付分不足" in caught.value.message
    assert not ServiceOrder.objects.exists()


def test_an_outage_is_a_502(keys, stub, payer):
    stub.route("POST", SERVICEORDER, lambda req: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "系统繁忙"}))
    stub.route("GET", SERVICEORDER, lambda req: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "系统繁忙"}))
    with pytest.raises(UpstreamError) as caught:
        open_order(payer)
    assert (caught.value.status_code, caught.value.code) == (502, "upstream_error")
    assert not ServiceOrder.objects.exists()


def test_an_answer_not_signed_by_wechat_pay_is_a_502(stub, payer):
    forged = Keys.generate()
    stub.route("POST", SERVICEORDER, lambda req: forged.answer(200, {"state": "DOING"}))
    stub.route("GET", SERVICEORDER, lambda req: forged.answer(200, {"state": "DOING"}))
    with pytest.raises(UpstreamError):
        open_order(payer)
    assert not ServiceOrder.objects.exists()


def test_a_timeout_with_no_order_at_wechat_pay_is_a_502(keys, payscore, stub, settings, payer):
    settings.WECHATPAY_TIMEOUT_SECONDS = 0.3

    def slow(req):
        time.sleep(1)
        return keys.answer(200, {})

    stub.route("POST", SERVICEORDER, slow)
    with pytest.raises(UpstreamError):
        open_order(payer)
    assert not ServiceOrder.objects.exists()


def test_a_timeout_after_wechat_pay_created_the_order_is_a_success(keys, payscore, stub, settings, payer):
    settings.WECHATPAY_TIMEOUT_SECONDS = 0.3

    def created_but_slow(req):
        payscore.create(req)
        time.sleep(1)
        return keys.answer(200, {})

    stub.route("POST", SERVICEORDER, created_but_slow)
    service_order = open_order(payer)
    assert payscore.orders[service_order.out_order_no]["state"] == "DOING"
    assert [r.method for r in stub.requests] == ["POST", "GET"]


def test_completing_again_after_a_lost_answer_is_a_success(keys, payscore, stub, settings, payer):
    """The first completion reached WeChat Pay but its answer was lost: a retry finds it completed."""
    service_order = open_order(payer)
    payscore.orders[service_order.out_order_no].update(state_description="MCH_COMPLETE", total_amount=990)
    intent = services.service_order_complete(service_order=service_order, amount_fen=990)
    assert intent.amount_fen == 990
    assert [r.method for r in stub.requests][-2:] == ["POST", "GET"]


def test_a_completion_wechat_pay_refuses_leaves_the_order_open(keys, payscore, stub, payer):
    service_order = open_order(payer)
    payscore.orders[service_order.out_order_no].update(state_description="MCH_COMPLETE", total_amount=1)
    with pytest.raises(DomainError) as caught:
        services.service_order_complete(service_order=service_order, amount_fen=990)
    assert caught.value.code == "payscore_rejected"
    service_order.refresh_from_db()
    assert (service_order.status, service_order.intent_id) == ("created", None)
    assert not PaymentIntent.objects.exists()


def test_cancelling_an_order_wechat_pay_already_revoked_is_a_success(payscore, stub, payer):
    service_order = open_order(payer)
    payscore.orders[service_order.out_order_no]["state"] = "REVOKED"
    services.service_order_cancel(service_order=service_order, reason="未产生费用")
    service_order.refresh_from_db()
    assert service_order.status == "cancelled"


def test_a_payer_without_a_wechat_login_cannot_open_a_service_order(payscore, stub):
    user = factories.make_user()
    PaymentContract.objects.create(user=user, provider="wechat_pay", contract_id="LA-no-openid")
    with pytest.raises(services.WeChatLoginRequired):
        open_order(user)
    assert stub.requests == []


def settings_error(**env) -> str:
    """What importing linli/settings.py says with these environment variables (in a fresh interpreter)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WECHATPAY_")}
    result = subprocess.run(
        [sys.executable, "-c", "import linli.settings"],
        env={**clean, **env},
        cwd=settings_module_dir(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stderr


def settings_module_dir() -> str:
    import linli

    return str(Path(linli.__file__).resolve().parent.parent)


def test_the_service_id_needs_wechat_pay_and_a_sane_value():
    assert "WECHATPAY_PAYSCORE_SERVICE_ID is set but WECHATPAY_MCH_ID is not" in settings_error(
        WECHATPAY_PAYSCORE_SERVICE_ID="500001"
    )
    merchant = {
        name: "x"
        for name in (
            "WECHATPAY_MCH_ID",
            "WECHATPAY_APP_ID",
            "WECHATPAY_SERIAL_NO",
            "WECHATPAY_PRIVATE_KEY",
            "WECHATPAY_PLATFORM_PUBLIC_KEY",
            "WECHATPAY_PLATFORM_SERIAL",
            "WECHATPAY_APIV3_KEY",
            "WECHATPAY_NOTIFY_BASE",
        )
    }
    assert "must be the service id" in settings_error(**merchant, WECHATPAY_PAYSCORE_SERVICE_ID="500 001;x")
    assert settings_error(**merchant, WECHATPAY_PAYSCORE_SERVICE_ID="500001") == ""
