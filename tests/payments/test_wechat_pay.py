"""WeChat Pay v3 against a local stub server, with test RSA keys made here (merchant + platform)."""

import base64
import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.api.errors import UpstreamError
from linli.payments import services
from linli.payments.models import PaymentIntent, PaymentNotification
from tests import factories
from tests.support.stub_server import StubServer
from tests.support.wechat_pay import (
    APP_ID,
    MCH_ID,
    MCH_SERIAL,
    Keys,
    paid_resource,
    parse_authorization,
    rsa_verify,
)

pytestmark = pytest.mark.django_db
NOTIFY, REFUND_NOTIFY = "/api/v1/payments/wechat/notify/", "/api/v1/payments/wechat/refund-notify/"


@pytest.fixture
def wechat(keys, settings):
    with StubServer() as stub:
        keys.configure(settings, stub.url)
        stub.route("POST", "/v3/pay/transactions/jsapi", lambda req: keys.answer(200, {"prepay_id": "wx2614123456"}))
        yield stub


def make_intent(payer, amount_fen=2590):
    return services.payment_intent_create(
        payer=payer, amount_fen=amount_fen, purpose="tests.thing", reference="1", description="衢州椪柑 5 斤"
    )


def post_callback(api, path, body, headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return api.generic("POST", path, body, content_type="application/json", **extra)


def test_it_creates_the_prepay_order_with_a_signed_request(wechat, keys, payer):
    intent = make_intent(payer)
    assert intent.provider == "wechat_pay"
    params = services.payment_intent_prepare(intent=intent)

    request = wechat.requests[0]
    assert request.json["mchid"] == MCH_ID and request.json["appid"] == APP_ID
    assert request.json["out_trade_no"] == intent.out_trade_no
    assert request.json["amount"] == {"total": 2590, "currency": "CNY"}
    assert request.json["payer"] == {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    assert request.json["notify_url"] == "https://linli.example.cn/api/v1/payments/wechat/notify/"
    auth = parse_authorization(request.headers["Authorization"])
    assert (auth["mchid"], auth["serial_no"]) == (MCH_ID, MCH_SERIAL)
    message = f"POST\n/v3/pay/transactions/jsapi\n{auth['timestamp']}\n{auth['nonce_str']}\n".encode()
    rsa_verify(keys.merchant.public_key(), auth["signature"], message + request.body + b"\n")

    assert params["package"] == "prepay_id=wx2614123456"
    assert params["signType"] == "RSA"
    signed = f"{APP_ID}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n".encode()
    rsa_verify(keys.merchant.public_key(), params["paySign"], signed)


def test_an_answer_without_a_valid_platform_signature_is_an_upstream_error(wechat, keys, payer):
    forged = Keys.generate()
    wechat.route("POST", "/v3/pay/transactions/jsapi", lambda req: forged.answer(200, {"prepay_id": "wx-evil"}))
    intent = make_intent(payer)
    with pytest.raises(UpstreamError):
        services.payment_intent_prepare(intent=intent)
    intent.refresh_from_db()
    assert intent.prepay_id == ""


def test_a_payer_without_a_wechat_openid_cannot_pay_by_wechat(wechat):
    intent = make_intent(factories.make_user())
    with pytest.raises(services.WeChatLoginRequired):
        services.payment_intent_prepare(intent=intent)


def test_a_verified_callback_marks_the_payment_paid(api, wechat, keys, payer):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    response = post_callback(api, NOTIFY, body, headers)
    assert response.status_code == 204
    intent.refresh_from_db()
    assert (intent.status, intent.provider_transaction_id) == ("succeeded", "4200000001")
    assert PaymentNotification.objects.get().payload["transaction_id"] == "4200000001"


def test_a_forged_callback_signature_is_rejected(api, wechat, keys, payer, heard):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    forged = Keys.generate()
    headers = forged.platform_headers(body)
    response = post_callback(api, NOTIFY, body, headers)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    intent.refresh_from_db()
    assert intent.status == "created"
    assert heard == []


def test_a_tampered_callback_body_is_rejected(api, wechat, keys, payer):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    tampered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCESZ")
    assert post_callback(api, NOTIFY, tampered, headers).status_code == 401


def test_a_stale_callback_is_rejected(api, wechat, keys, payer):
    intent = make_intent(payer)
    body, _ = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    old = keys.platform_headers(body, timestamp=int(timezone.now().timestamp()) - 3600)
    assert post_callback(api, NOTIFY, body, old).status_code == 401


def test_a_callback_not_encrypted_with_our_key_is_rejected(api, wechat, keys, payer):
    intent = make_intent(payer)
    body, _ = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    envelope = json.loads(body)
    envelope["resource"]["ciphertext"] = base64.b64encode(b"x" * 64).decode()
    body = json.dumps(envelope).encode()
    response = post_callback(api, NOTIFY, body, keys.platform_headers(body))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_notification"


def test_a_replayed_callback_changes_nothing(api, wechat, keys, payer, heard):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    assert post_callback(api, NOTIFY, body, headers).status_code == 204
    paid_at = PaymentIntent.objects.get(pk=intent.pk).paid_at
    assert post_callback(api, NOTIFY, body, headers).status_code == 204
    assert PaymentIntent.objects.get(pk=intent.pk).paid_at == paid_at
    assert heard == [("payment_succeeded", intent.pk, None)]
    assert list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "applied",
        "duplicate",
    ]


def test_an_amount_mismatch_is_rejected_and_logged(api, wechat, keys, payer, heard, caplog):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent, total=1))
    with caplog.at_level(logging.ERROR, logger="linli.payments.services"):
        response = post_callback(api, NOTIFY, body, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "amount_mismatch"
    intent.refresh_from_db()
    assert intent.status == "created"
    assert heard == []
    assert PaymentNotification.objects.get().outcome == "amount_mismatch"
    assert intent.out_trade_no in caplog.text and "expected 2590" in caplog.text


def test_a_callback_for_an_unknown_order_is_logged_and_acknowledged(api, wechat, keys, payer):
    ghost = PaymentIntent(out_trade_no="LP-does-not-exist", amount_fen=100, payer=payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(ghost))
    assert post_callback(api, NOTIFY, body, headers).status_code == 204
    assert PaymentNotification.objects.get().outcome == "unknown"


def test_the_notify_endpoint_is_not_there_without_wechat_pay(api, settings):
    settings.WECHATPAY_MCH_ID = ""
    response = api.post(NOTIFY, {"id": "x"}, format="json")
    assert response.status_code == 404


def test_an_expired_payment_is_closed_at_wechat_pay(wechat, keys, payer, heard):
    intent = make_intent(payer)
    services.payment_intent_prepare(intent=intent)
    wechat.route(
        "GET",
        f"/v3/pay/transactions/out-trade-no/{intent.out_trade_no}",
        lambda req: keys.answer(200, {"out_trade_no": intent.out_trade_no, "trade_state": "NOTPAY"}),
    )
    wechat.route(
        "POST", f"/v3/pay/transactions/out-trade-no/{intent.out_trade_no}/close", lambda req: keys.answer(204, None)
    )
    assert services.payment_intents_close_expired(now=timezone.now() + timedelta(minutes=16)) == 1
    intent.refresh_from_db()
    assert intent.status == "closed"
    assert [r.path for r in wechat.requests][-1].endswith("/close")
    assert wechat.requests[-1].json == {"mchid": MCH_ID}
    assert heard == [("payment_closed", intent.pk, "expired")]


def test_a_payment_made_just_before_expiry_wins_over_closing(wechat, keys, payer, heard):
    intent = make_intent(payer)
    services.payment_intent_prepare(intent=intent)
    wechat.route(
        "GET",
        f"/v3/pay/transactions/out-trade-no/{intent.out_trade_no}",
        lambda req: keys.answer(200, paid_resource(intent, transaction_id="4200000777")),
    )
    services.payment_intents_close_expired(now=timezone.now() + timedelta(minutes=16))
    intent.refresh_from_db()
    assert (intent.status, intent.provider_transaction_id) == ("succeeded", "4200000777")
    assert heard == [("payment_succeeded", intent.pk, None)]
    assert not any(r.path.endswith("/close") for r in wechat.requests)


def test_closing_waits_for_an_unreachable_provider(wechat, keys, payer):
    intent = make_intent(payer)
    services.payment_intent_prepare(intent=intent)
    wechat.route(
        "GET",
        f"/v3/pay/transactions/out-trade-no/{intent.out_trade_no}",
        lambda req: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "系统错误"}),
    )
    assert services.payment_intents_close_expired(now=timezone.now() + timedelta(minutes=16)) == 0
    intent.refresh_from_db()
    assert intent.status == "created"


def paid(api, keys, payer):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    post_callback(api, NOTIFY, body, headers)
    intent.refresh_from_db()
    return intent


def test_a_refund_goes_to_wechat_pay_and_completes_on_its_callback(api, wechat, keys, payer, heard):
    intent = paid(api, keys, payer)
    wechat.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(200, {"refund_id": "50000000382019052709732678859", "status": "PROCESSING"}),
    )
    refund = services.refund_create(intent=intent, amount_fen=1000, reason="少了一斤")
    sent = wechat.requests[-1].json
    assert sent["out_refund_no"] == refund.out_refund_no
    assert sent["amount"] == {"refund": 1000, "total": 2590, "currency": "CNY"}
    assert refund.status == "pending"

    resource = {
        "mchid": MCH_ID,
        "out_trade_no": intent.out_trade_no,
        "out_refund_no": refund.out_refund_no,
        "refund_id": "50000000382019052709732678859",
        "refund_status": "SUCCESS",
        "amount": {"total": 2590, "refund": 1000, "payer_total": 2590, "payer_refund": 1000},
    }
    body, headers = keys.callback("REFUND.SUCCESS", resource)
    assert post_callback(api, REFUND_NOTIFY, body, headers).status_code == 204
    assert post_callback(api, REFUND_NOTIFY, body, headers).status_code == 204
    refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert [h for h in heard if h[0] == "refund_succeeded"] == [("refund_succeeded", intent.pk, 1000)]


def test_a_refund_wechat_pay_gives_up_on_becomes_refundable_again(api, wechat, keys, payer):
    intent = paid(api, keys, payer)
    wechat.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(200, {"refund_id": "5001", "status": "PROCESSING"}),
    )
    refund = services.refund_create(intent=intent, amount_fen=2590, reason="缺货")
    resource = {
        "out_trade_no": intent.out_trade_no,
        "out_refund_no": refund.out_refund_no,
        "refund_status": "ABNORMAL",
        "amount": {"total": 2590, "refund": 2590},
    }
    body, headers = keys.callback("REFUND.ABNORMAL", resource)
    post_callback(api, REFUND_NOTIFY, body, headers)
    intent.refresh_from_db()
    refund.refresh_from_db()
    assert (refund.status, intent.refunded_fen) == ("failed", 0)


def test_a_refund_request_wechat_pay_refuses_leaves_no_refund_behind(api, wechat, keys, payer):
    intent = paid(api, keys, payer)
    wechat.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(403, {"code": "NOT_ENOUGH", "message": "基本账户余额不足"}),
    )
    with pytest.raises(UpstreamError):
        services.refund_create(intent=intent, amount_fen=100, reason="x")
    intent.refresh_from_db()
    assert (intent.refunded_fen, intent.refunds.count()) == (0, 0)


def test_a_callback_signed_under_another_serial_is_rejected(api, wechat, keys, payer):
    intent = make_intent(payer)
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    headers["Wechatpay-Serial"] = "PUB_KEY_ID_SOMEONE_ELSE"
    assert post_callback(api, NOTIFY, body, headers).status_code == 401
    intent.refresh_from_db()
    assert intent.status == "created"
