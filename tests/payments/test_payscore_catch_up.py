"""The Pay Score catch-up job: a completed service order whose USER_PAID callback never arrived is asked of
WeChat Pay (the stub) and applied through the same idempotent payment handler; the job is a beat task."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.celery import app
from linli.payments import tasks
from linli.payments.models import PaymentContract, PaymentNotification, ServiceOrder
from linli.payments.services import service_order_complete, service_order_create
from tests import factories
from tests.support.payscore import SERVICEORDER

pytestmark = pytest.mark.django_db
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.fixture
def payer(db):
    user = factories.make_resident(wechat_openid=OPENID)
    PaymentContract.objects.create(user=user, provider="wechat_pay", contract_id="LA-test-contract")
    return user


def completed(payer, *, amount_fen=1440, minutes_ago=30) -> ServiceOrder:
    service_order = service_order_create(
        payer=payer, purpose="tests.cabinet", reference="cabinet:1", description="无人果蔬柜", risk_amount_fen=20000
    )
    service_order_complete(service_order=service_order, amount_fen=amount_fen)
    ServiceOrder.objects.filter(pk=service_order.pk).update(finished_at=timezone.now() - timedelta(minutes=minutes_ago))
    service_order.refresh_from_db()
    return service_order


def queries(stub):
    return [r for r in stub.requests if (r.method, r.path) == ("GET", SERVICEORDER)]


def test_it_is_a_beat_job():
    entry = app.conf.beat_schedule["payments.payscore_catch_up"]
    assert entry["task"] == "linli.payments.tasks.payscore_catch_up"


def test_a_collected_order_whose_callback_was_lost_is_marked_paid(payscore, stub, payer, heard):
    service_order = completed(payer)
    payscore.collect(service_order.out_order_no, transaction_id="4200000777")

    assert tasks.payscore_catch_up() == 1

    intent = service_order.intent
    intent.refresh_from_db()
    assert (intent.status, intent.provider_transaction_id) == ("succeeded", "4200000777")
    assert heard == [("payment_succeeded", intent.pk, None)]
    note = PaymentNotification.objects.get(event_type="PAYSCORE.QUERY")
    assert (note.outcome, note.out_trade_no) == ("applied", intent.out_trade_no)


def test_running_it_again_changes_nothing_and_asks_nothing(payscore, stub, payer, heard):
    service_order = completed(payer)
    payscore.collect(service_order.out_order_no)
    tasks.payscore_catch_up()
    asked = len(queries(stub))

    assert tasks.payscore_catch_up() == 0

    assert len(queries(stub)) == asked
    assert len(heard) == 1 and PaymentNotification.objects.count() == 1


def test_the_late_callback_after_the_catch_up_is_a_duplicate(api, keys, payscore, stub, payer, heard):
    from tests.support.payscore import payscore_callback

    service_order = completed(payer)
    resource = payscore.collect(service_order.out_order_no)
    tasks.payscore_catch_up()

    body, headers = payscore_callback(keys, "PAYSCORE.USER_PAID", resource)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    response = api.generic(
        "POST", "/api/v1/payments/wechat/payscore-notify/", body, content_type="application/json", **extra
    )

    assert response.status_code == 204
    assert PaymentNotification.objects.get(event_type="PAYSCORE.USER_PAID").outcome == "duplicate"
    assert len(heard) == 1


def test_recent_completions_are_left_to_the_callback(payscore, stub, payer):
    service_order = completed(payer, minutes_ago=2)
    payscore.collect(service_order.out_order_no)

    assert tasks.payscore_catch_up() == 0

    assert queries(stub) == []
    assert service_order.intent.status == "created"


def test_an_order_not_collected_yet_stays_unpaid_and_records_nothing(payscore, stub, payer, heard):
    service_order = completed(payer)

    assert tasks.payscore_catch_up() == 0

    assert len(queries(stub)) == 1
    service_order.intent.refresh_from_db()
    assert service_order.intent.status == "created"
    assert heard == [] and not PaymentNotification.objects.exists()


def test_an_amount_wechat_pay_disagrees_with_is_refused_and_logged(payscore, stub, payer, heard, caplog):
    service_order = completed(payer)
    payscore.collect(service_order.out_order_no)
    payscore.orders[service_order.out_order_no]["collection"]["paid_amount"] = 1

    with caplog.at_level(logging.ERROR, logger="linli.payments"):
        assert tasks.payscore_catch_up() == 0

    service_order.intent.refresh_from_db()
    assert service_order.intent.status == "created" and heard == []
    assert PaymentNotification.objects.get().outcome == "amount_mismatch"
    assert "rejected" in caplog.text


def test_an_unreachable_wechat_pay_is_tried_again_on_the_next_run(keys, payscore, stub, payer, heard):
    service_order = completed(payer)
    payscore.collect(service_order.out_order_no)
    stub.route("GET", SERVICEORDER, lambda request: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "忙"}))

    assert tasks.payscore_catch_up() == 0
    assert heard == []

    stub.route("GET", SERVICEORDER, payscore.query)
    assert tasks.payscore_catch_up() == 1
    assert heard == [("payment_succeeded", service_order.intent.pk, None)]


def test_sandbox_and_other_orders_are_not_its_business(settings, payer, heard):
    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.LINLI_SANDBOX = True
    PaymentContract.objects.create(user=payer, provider="sandbox", contract_id="sandbox-c")
    completed(payer)  # the sandbox collects at once

    assert tasks.payscore_catch_up() == 0
