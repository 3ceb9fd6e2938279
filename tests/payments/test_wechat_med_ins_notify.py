"""`POST /api/v1/payments/wechat/med-ins-notify/`: WeChat Pay's 医保混合收款 result, verified and decrypted like
the payment callback and applied through the same idempotent handler (duplicates change nothing; an amount
off the cash part is refused and logged)."""

import logging

import pytest

from linli.payments import services
from linli.payments.models import PaymentNotification
from tests.payments.test_wechat_med_ins import MedInsStub, mixed
from tests.support.stub_server import StubServer

pytestmark = pytest.mark.django_db
NOTIFY = "/api/v1/payments/wechat/med-ins-notify/"
EVENT = "MEDICAL_INSURANCE.SUCCESS"


@pytest.fixture
def med_ins(keys, settings):
    with StubServer() as stub:
        keys.configure(settings, stub.url)
        settings.PAYMENTS_INSURANCE_PROVIDER = "wechat_med_ins"
        settings.WECHATPAY_MED_INS_CITY_ID = "330800"
        settings.WECHATPAY_MED_INST_NO = "P33080200001"
        settings.WECHATPAY_MED_INST_NAME = "博爱幸福驿站自助售药机"
        yield MedInsStub(stub, keys)


@pytest.fixture
def intent(med_ins, payer):
    intent = mixed(payer)
    services.payment_intent_prepare(intent=intent)
    intent.refresh_from_db()
    return intent


def result(intent, *, status="MIX_PAY_SUCCESS", cash=None) -> dict:
    return {
        "mix_trade_no": intent.prepay_id,
        "mix_pay_status": status,
        "self_pay_status": "SELF_PAY_SUCCESS" if status == "MIX_PAY_SUCCESS" else "SELF_PAY_FAIL",
        "med_ins_pay_status": "MED_INS_PAY_SUCCESS" if status == "MIX_PAY_SUCCESS" else "MED_INS_PAY_FAIL",
        "out_trade_no": intent.out_trade_no,
        "total_fee": intent.insurance_fen + intent.cash_fen,
        "med_ins_self_fee": intent.insurance_fen,
        "wechat_pay_cash_fee": intent.cash_fen if cash is None else cash,
    }


def post_callback(api, body, headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return api.generic("POST", NOTIFY, body, content_type="application/json", **extra)


def test_a_verified_result_marks_the_mixed_payment_paid(api, keys, intent, heard):
    body, headers = keys.callback(EVENT, result(intent))

    response = post_callback(api, body, headers)

    assert response.status_code == 204, response.content
    intent.refresh_from_db()
    assert (intent.status, intent.provider_transaction_id) == ("succeeded", "mix-1")
    assert heard == [("payment_succeeded", intent.pk, None)]
    note = PaymentNotification.objects.get()
    assert (note.provider, note.event_type, note.outcome) == ("wechat_med_ins", EVENT, "applied")


def test_a_repeated_result_changes_nothing(api, keys, intent, heard):
    body, headers = keys.callback(EVENT, result(intent), notification_id="n-1")
    assert post_callback(api, body, headers).status_code == 204

    body, headers = keys.callback(EVENT, result(intent), notification_id="n-1")
    assert post_callback(api, body, headers).status_code == 204

    assert len(heard) == 1
    assert list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "applied",
        "duplicate",
    ]


def test_an_amount_off_the_cash_part_is_refused_and_logged(api, keys, intent, heard, caplog):
    body, headers = keys.callback(EVENT, result(intent, cash=1))

    with caplog.at_level(logging.ERROR, logger="linli.payments"):
        response = post_callback(api, body, headers)

    assert response.status_code == 400 and response.json()["code"] == "amount_mismatch"
    intent.refresh_from_db()
    assert intent.status == "created" and heard == []
    assert PaymentNotification.objects.get().outcome == "amount_mismatch"
    assert "rejected" in caplog.text


def test_a_failed_mixed_payment_fails_the_intent(api, keys, intent, heard):
    body, headers = keys.callback(EVENT, result(intent, status="MIX_PAY_FAIL"))

    assert post_callback(api, body, headers).status_code == 204

    intent.refresh_from_db()
    assert intent.status == "failed"
    assert [name for name, *_ in heard] == ["payment_failed"]


def test_a_forged_signature_is_rejected(api, keys, intent, heard):
    body, headers = keys.callback(EVENT, result(intent))
    body, _ = keys.callback(EVENT, result(intent))  # another body under the first signature

    response = post_callback(api, body, headers)

    assert response.status_code == 401 and response.json()["code"] == "invalid_signature"
    assert heard == [] and not PaymentNotification.objects.exists()


def test_a_resource_not_encrypted_with_our_key_is_rejected(api, keys, intent):
    body, _ = keys.callback(EVENT, result(intent))
    tampered = body.replace(b'"ciphertext": "', b'"ciphertext": "AAAA')
    response = post_callback(api, tampered, keys.platform_headers(tampered))
    assert response.status_code == 400 and response.json()["code"] == "invalid_notification"


def test_a_result_for_a_plain_wechat_payment_is_not_applied(api, keys, med_ins, payer, settings):
    settings.PAYMENTS_PROVIDER = "wechat_pay"
    plain = services.payment_intent_create(
        payer=payer, amount_fen=650, purpose="tests.rx", reference="2", description="普通订单"
    )
    body, headers = keys.callback(EVENT, {"out_trade_no": plain.out_trade_no, "mix_pay_status": "MIX_PAY_SUCCESS"})

    assert post_callback(api, body, headers).status_code == 204

    plain.refresh_from_db()
    assert plain.status == "created"
    assert PaymentNotification.objects.get().outcome == "unknown"


def test_the_endpoint_is_not_there_without_medical_insurance_payments(api, keys, med_ins, intent, settings):
    settings.WECHATPAY_MED_INS_CITY_ID = ""
    body, headers = keys.callback(EVENT, result(intent))
    assert post_callback(api, body, headers).status_code == 404
