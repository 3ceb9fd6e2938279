"""Intents with parts: several bills in one payment, a subsidy plus the rest online, refunds per part."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from linli.api.errors import DomainError
from linli.api.idempotency import IdempotencyConflict
from linli.payments import services, signals
from linli.payments.models import PaymentIntent, PaymentNotification, PaymentPart, Refund
from linli.payments.services import PartSpec
from tests import factories
from tests.support.stub_server import StubServer
from tests.support.wechat_pay import MCH_ID, paid_resource

pytestmark = pytest.mark.django_db
BY_APP = PaymentPart.Settlement.SETTLED_BY_APP


@pytest.fixture
def app():
    """What an owning app's receivers hear: (signal, [(part reference, amount)] or (part reference, amount))."""
    log = []

    def paid(sender, intent, parts, **kwargs):
        log.append(("payment_succeeded", [(p.reference, p.amount_fen) for p in parts]))

    def closed(sender, intent, parts, reason, **kwargs):
        log.append(("payment_closed", [(p.reference, p.settlement) for p in parts]))

    def refunded(sender, intent, refund, part, **kwargs):
        log.append(("refund_succeeded", (part.reference if part else None, refund.amount_fen)))

    receivers = {"payment_succeeded": paid, "payment_closed": closed, "refund_succeeded": refunded}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver, weak=False)
    yield log
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def three_bills(payer, **kw):
    return services.payment_intent_create_with_parts(
        payer=payer,
        purpose="tests.bills",
        parts=[
            PartSpec("bill-1", "物业费 2026-10", 12000),
            PartSpec("bill-2", "物业费 2026-11", 12000),
            PartSpec("bill-3", "停车费 2026-11", 15000),
        ],
        **kw,
    )


def subsidised(payer, **kw):
    return services.payment_intent_create_with_parts(
        payer=payer,
        purpose="tests.care",
        reference="order-7",
        description="助浴服务",
        parts=[PartSpec("subsidy", "养老服务补贴", 3000, BY_APP), PartSpec("self", "自付部分", 5000)],
        **kw,
    )


def complete(client, intent):
    return client.post(f"/api/v1/payments/{intent.pk}/sandbox-complete/", {"result": "success"}, format="json")


def paid(as_user, intent):
    assert complete(as_user(intent.payer), intent).status_code == 200
    intent.refresh_from_db()
    return intent


def part(intent, reference):
    return intent.parts.get(reference=reference)


def test_three_bills_paid_in_one_sandbox_payment_reach_the_app_as_three_parts(as_user, resident, app):
    intent = three_bills(resident)
    assert (intent.amount_fen, intent.cash_fen, intent.provider, intent.status) == (39000, 39000, "sandbox", "created")
    assert intent.description == "物业费 2026-10等 3 项"

    response = complete(as_user(resident), intent)

    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert [p["reference"] for p in response.json()["parts"]] == ["bill-1", "bill-2", "bill-3"]
    assert app == [("payment_succeeded", [("bill-1", 12000), ("bill-2", 12000), ("bill-3", 15000)])]


def test_a_repeated_payment_notification_does_not_tell_the_app_again(as_user, resident, app):
    intent = three_bills(resident)
    complete(as_user(resident), intent)
    complete(as_user(resident), intent)
    assert [name for name, _ in app] == ["payment_succeeded"]
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["applied", "duplicate"]


def test_one_part_is_refunded_partially_then_fully(as_user, resident, app):
    intent = paid(as_user, three_bills(resident))
    bill = part(intent, "bill-2")

    first = services.refund_create(intent=intent, part=bill, amount_fen=5000, reason="减免")
    second = services.refund_create(intent=intent, part=bill, amount_fen=7000, reason="退费")

    assert (first.status, first.part_id, first.cash_fen) == ("succeeded", bill.pk, 5000)
    assert second.status == "succeeded"
    bill.refresh_from_db()
    intent.refresh_from_db()
    assert (bill.refunded_fen, bill.refundable_fen, intent.refunded_fen) == (12000, 0, 12000)
    assert [p.refunded_fen for p in intent.parts.exclude(pk=bill.pk)] == [0, 0]
    assert app[1:] == [("refund_succeeded", ("bill-2", 5000)), ("refund_succeeded", ("bill-2", 7000))]


def test_it_refuses_to_refund_a_part_beyond_what_it_paid(as_user, resident):
    intent = paid(as_user, three_bills(resident))
    bill = part(intent, "bill-1")
    services.refund_create(intent=intent, part=bill, amount_fen=10000, reason="减免")

    with pytest.raises(services.RefundExceedsPaid) as refused:
        services.refund_create(intent=intent, part=bill, amount_fen=2001, reason="多退")

    assert (refused.value.status_code, refused.value.code) == (409, "refund_exceeds_paid")
    bill.refresh_from_db()
    assert (bill.refunded_fen, Refund.objects.count()) == (10000, 1)


def test_it_refuses_a_refund_without_a_part_or_with_another_intents_part(as_user, resident):
    intent = paid(as_user, three_bills(resident))
    other = paid(as_user, three_bills(resident))
    with pytest.raises(DomainError) as missing:
        services.refund_create(intent=intent, amount_fen=100, reason="x")
    with pytest.raises(DomainError) as foreign:
        services.refund_create(intent=intent, part=part(other, "bill-1"), amount_fen=100, reason="x")
    assert (missing.value.code, foreign.value.code) == ("validation_error", "validation_error")
    assert "part" in missing.value.fields and "part" in foreign.value.fields
    assert not Refund.objects.exists()


def test_the_provider_is_charged_only_the_provider_part(as_user, resident, app):
    intent = subsidised(resident)
    assert (intent.amount_fen, intent.settled_by_app_fen, intent.cash_fen) == (8000, 3000, 5000)

    complete(as_user(resident), intent)

    assert PaymentNotification.objects.get().payload["amount"] == {"total": 5000}
    assert app == [("payment_succeeded", [("subsidy", 3000), ("self", 5000)])]


def test_an_app_settled_part_is_refunded_at_once_without_the_provider(as_user, resident, app, settings):
    intent = paid(as_user, subsidised(resident))
    settings.LINLI_SANDBOX = False  # any provider call would now fail: the subsidy refund makes none

    refund = services.refund_create(intent=intent, part=part(intent, "subsidy"), amount_fen=3000, reason="取消服务")

    assert (refund.status, refund.cash_fen, refund.settled_by_app_fen) == ("succeeded", 0, 3000)
    assert app[1:] == [("refund_succeeded", ("subsidy", 3000))]
    with pytest.raises(services.RefundExceedsPaid):
        services.refund_create(intent=intent, part=part(intent, "subsidy"), amount_fen=1, reason="再退")
    assert len(app) == 2


def test_the_online_part_of_a_subsidised_payment_is_refunded_through_the_provider(as_user, resident, app):
    intent = paid(as_user, subsidised(resident))
    refund = services.refund_create(intent=intent, part=part(intent, "self"), amount_fen=2000, reason="少服务半小时")
    assert (refund.status, refund.cash_fen, refund.settled_by_app_fen) == ("succeeded", 2000, 0)
    assert refund.provider_refund_id == f"sandbox-{refund.out_refund_no}"
    assert app[1:] == [("refund_succeeded", ("self", 2000))]


def test_an_intent_of_app_settled_parts_only_is_paid_at_once(resident, app):
    intent = services.payment_intent_create_with_parts(
        payer=resident, purpose="tests.care", parts=[PartSpec("subsidy", "养老服务补贴", 3000, BY_APP)]
    )
    assert (intent.status, intent.method, intent.provider, intent.cash_fen) == (
        "succeeded",
        "settled_by_app",
        "settled_by_app",
        0,
    )
    assert app == [("payment_succeeded", [("subsidy", 3000)])]
    with pytest.raises(services.AlreadyPaid):
        services.payment_intent_prepare(intent=intent)


def test_closing_it_unpaid_tells_the_app_which_parts_it_settled(resident, app):
    intent = subsidised(resident)
    services.payment_intent_close(intent=intent, reason="expired")
    assert app == [("payment_closed", [("subsidy", BY_APP), ("self", "provider")])]


def test_money_arriving_after_the_close_goes_back_without_a_part(as_user, resident, app):
    intent = subsidised(resident)
    services.payment_intent_close(intent=intent, reason="expired")
    complete(as_user(resident), intent)
    refund = Refund.objects.get()
    assert (refund.part_id, refund.cash_fen, refund.settled_by_app_fen) == (None, 5000, 0)
    assert app[1:] == [("refund_succeeded", (None, 5000))]


def test_the_same_idempotency_key_and_request_returns_the_first_intent(resident):
    first = subsidised(resident, idempotency_key="care-order:7")
    again = subsidised(resident, idempotency_key="care-order:7")
    assert (first.replayed, again.replayed, again.pk) == (False, True, first.pk)
    assert PaymentIntent.objects.count() == 1


def test_the_same_idempotency_key_with_another_request_is_a_conflict(resident):
    subsidised(resident, idempotency_key="care-order:7")
    with pytest.raises(IdempotencyConflict) as conflict:
        three_bills(resident, idempotency_key="care-order:7")
    assert (conflict.value.status_code, conflict.value.code) == (409, "idempotency_conflict")
    assert PaymentIntent.objects.count() == 1


@pytest.mark.parametrize(
    "parts",
    [
        [],
        [PartSpec("bill-1", "物业费", 100), PartSpec("bill-1", "物业费", 200)],
        [PartSpec("bill-1", "物业费", 0)],
        [PartSpec("", "物业费", 100)],
        [PartSpec("bill-1", "物业费", 100, "points")],
    ],
    ids=["none", "twice", "zero", "no-reference", "unknown-settlement"],
)
def test_it_refuses_parts_that_do_not_make_a_payment(resident, parts):
    with pytest.raises(DomainError) as refused:
        services.payment_intent_create_with_parts(payer=resident, purpose="tests.bills", parts=parts)
    assert refused.value.code == "validation_error"
    assert not PaymentIntent.objects.exists()


def test_the_database_refuses_a_part_refunded_above_its_amount(resident):
    intent = three_bills(resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentPart.objects.filter(intent=intent, reference="bill-1").update(refunded_fen=12001)


def test_my_payment_shows_its_parts_and_which_part_each_refund_gave_back(as_user, resident):
    intent = paid(as_user, subsidised(resident))
    subsidy = part(intent, "subsidy")
    services.refund_create(intent=intent, part=subsidy, amount_fen=1000, reason="取消一次")

    body = as_user(resident).get(f"/api/v1/payments/{intent.pk}/").json()

    assert (body["amount_fen"], body["settled_by_app_fen"], body["cash_fen"]) == (8000, 3000, 5000)
    assert [(p["reference"], p["settlement"], p["refunded_fen"]) for p in body["parts"]] == [
        ("subsidy", "settled_by_app", 1000),
        ("self", "provider", 0),
    ]
    assert [(r["part"], r["settled_by_app_fen"]) for r in body["refunds"]] == [(subsidy.pk, 1000)]


def test_the_console_shows_the_parts_of_a_payment_and_the_part_of_each_refund(as_user, resident):
    intent = paid(as_user, subsidised(resident))
    services.refund_create(intent=intent, part=part(intent, "subsidy"), amount_fen=1000, reason="取消一次")
    client = Client()
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))

    detail = client.get(f"/admin/payments/paymentintent/{intent.pk}/change/").content.decode()
    refunds = client.get("/admin/payments/refund/").content.decode()

    assert "支付明细" in detail and "养老服务补贴" in detail and "应用内结算（如补贴）" in detail
    assert "支付明细" in refunds and "养老服务补贴 30.00 元" in refunds


def test_an_intent_without_parts_is_refunded_as_before(as_user, resident, app):
    intent = services.payment_intent_create(
        payer=resident, amount_fen=2000, purpose="tests.thing", reference="1", description="测试商品"
    )
    intent = paid(as_user, intent)
    refund = services.refund_create(intent=intent, amount_fen=500, reason="部分退款")
    assert (refund.part_id, refund.cash_fen) == (None, 500)
    assert app == [("payment_succeeded", []), ("refund_succeeded", (None, 500))]


# --- WeChat Pay against the stub server -------------------------------------------------------------

NOTIFY, REFUND_NOTIFY = "/api/v1/payments/wechat/notify/", "/api/v1/payments/wechat/refund-notify/"


@pytest.fixture
def wechat(keys, settings):
    with StubServer() as stub:
        keys.configure(settings, stub.url)
        stub.route("POST", "/v3/pay/transactions/jsapi", lambda req: keys.answer(200, {"prepay_id": "wx2614123456"}))
        yield stub


def post_callback(api, path, body, headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return api.generic("POST", path, body, content_type="application/json", **extra)


def test_wechat_pay_is_asked_for_the_provider_parts_and_told_the_app_once(api, wechat, keys, payer, app):
    intent = subsidised(payer)
    assert intent.provider == "wechat_pay"
    services.payment_intent_prepare(intent=intent)
    assert wechat.requests[0].json["amount"] == {"total": 5000, "currency": "CNY"}

    whole = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent, total=8000))
    assert post_callback(api, NOTIFY, *whole).status_code == 400  # the subsidy was never WeChat Pay's
    body, headers = keys.callback("TRANSACTION.SUCCESS", paid_resource(intent))
    assert post_callback(api, NOTIFY, body, headers).status_code == 204
    assert post_callback(api, NOTIFY, body, headers).status_code == 204

    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert app == [("payment_succeeded", [("subsidy", 3000), ("self", 5000)])]


def test_a_wechat_refund_of_a_part_sends_the_provider_total_and_completes_once(api, wechat, keys, payer, app):
    intent = subsidised(payer)
    post_callback(api, NOTIFY, *keys.callback("TRANSACTION.SUCCESS", paid_resource(intent)))
    intent.refresh_from_db()
    wechat.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(200, {"refund_id": "5001", "status": "PROCESSING"}),
    )
    calls = len(wechat.requests)
    subsidy = services.refund_create(intent=intent, part=part(intent, "subsidy"), amount_fen=3000, reason="取消")
    assert (subsidy.status, len(wechat.requests)) == ("succeeded", calls)  # WeChat Pay never hears of it

    refund = services.refund_create(intent=intent, part=part(intent, "self"), amount_fen=2000, reason="少服务")
    assert wechat.requests[-1].json["amount"] == {"refund": 2000, "total": 5000, "currency": "CNY"}
    assert refund.status == "pending"
    resource = {
        "mchid": MCH_ID,
        "out_trade_no": intent.out_trade_no,
        "out_refund_no": refund.out_refund_no,
        "refund_id": "5001",
        "refund_status": "SUCCESS",
        "amount": {"total": 5000, "refund": 2000},
    }
    body, headers = keys.callback("REFUND.SUCCESS", resource)
    assert post_callback(api, REFUND_NOTIFY, body, headers).status_code == 204
    assert post_callback(api, REFUND_NOTIFY, body, headers).status_code == 204

    assert app[1:] == [("refund_succeeded", ("subsidy", 3000)), ("refund_succeeded", ("self", 2000))]


def test_a_part_refund_wechat_pay_gives_up_on_is_refundable_again(api, wechat, keys, payer):
    intent = subsidised(payer)
    post_callback(api, NOTIFY, *keys.callback("TRANSACTION.SUCCESS", paid_resource(intent)))
    intent.refresh_from_db()
    wechat.route(
        "POST",
        "/v3/refund/domestic/refunds",
        lambda req: keys.answer(200, {"refund_id": "5002", "status": "PROCESSING"}),
    )
    refund = services.refund_create(intent=intent, part=part(intent, "self"), amount_fen=5000, reason="取消")
    resource = {"out_refund_no": refund.out_refund_no, "refund_status": "ABNORMAL", "amount": {"refund": 5000}}
    assert post_callback(api, REFUND_NOTIFY, *keys.callback("REFUND.ABNORMAL", resource)).status_code == 204

    own = part(intent, "self")
    assert (own.refunded_fen, Refund.objects.get().status) == (0, "failed")
    assert services.refund_create(intent=intent, part=own, amount_fen=5000, reason="再退").status == "pending"
