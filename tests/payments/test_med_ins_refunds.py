"""Refunds of WeChat medical-insurance mixed orders in real mode: the cash part goes through WeChat Pay's
refund API (its callback alone does not complete a refund with an insurance part), the insurance part is the
医保 platform's; the beat job asks WeChat (the stub) about both and completes or fails the refund through the
refund notification handler."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from linli.api.errors import InvalidTransition
from linli.celery import app
from linli.payments import services, tasks
from linli.payments.models import PaymentNotification, Refund
from linli.payments.providers import get_provider
from linli.payments.services import med_ins_refund_confirm
from tests import factories
from tests.payments.test_wechat_med_ins import MedInsStub, mixed
from tests.support.stub_server import StubServer
from tests.support.wechat_pay import MCH_ID

pytestmark = pytest.mark.django_db
REFUNDS = "/v3/refund/domestic/refunds"
REFUND_NOTIFY = "/api/v1/payments/wechat/refund-notify/"


class RefundingMedInsStub(MedInsStub):
    """WeChat's side with refunds: the cash refunds it holds (PROCESSING until the test settles them)."""

    def __init__(self, stub, keys):
        super().__init__(stub, keys)
        self.refunds = {}
        stub.route("POST", REFUNDS, self.refund)

    def refund(self, request):
        number = request.json["out_refund_no"]
        self.refunds[number] = {
            "refund_id": f"5000000038{len(self.refunds) + 1:019d}",
            "out_refund_no": number,
            "out_trade_no": request.json["out_trade_no"],
            "status": "PROCESSING",
            "amount": {"refund": request.json["amount"]["refund"], "total": request.json["amount"]["total"]},
        }
        self.stub.route("GET", f"{REFUNDS}/{number}", self.refund_query)
        return self.keys.answer(200, self.refunds[number])

    def refund_query(self, request):
        return self.keys.answer(200, self.refunds[request.path.rsplit("/", 1)[-1]])


@pytest.fixture
def med_ins(keys, settings):
    with StubServer() as stub:
        keys.configure(settings, stub.url)
        settings.PAYMENTS_INSURANCE_PROVIDER = "wechat_med_ins"
        settings.WECHATPAY_MED_INS_CITY_ID = "330800"
        settings.WECHATPAY_MED_INST_NO = "P33080200001"
        settings.WECHATPAY_MED_INST_NAME = "博爱幸福驿站自助售药机"
        yield RefundingMedInsStub(stub, keys)


def paid(med_ins, payer, **amounts):
    intent = mixed(payer, **amounts)
    services.payment_intent_prepare(intent=intent)
    med_ins.orders[intent.out_trade_no]["mix_pay_status"] = "MIX_PAY_SUCCESS"
    state = get_provider("wechat_med_ins").query(intent)
    services.payment_notification_handle(provider="wechat_med_ins", event_type="QUERY", state=state)
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    return intent


def refunded(intent, amount_fen, *, minutes_ago=10) -> Refund:
    refund = services.refund_create(intent=intent, amount_fen=amount_fen, reason="药品退回")
    Refund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    refund.refresh_from_db()
    return refund


def insurance_refunded_at_wechat(med_ins, intent):
    med_ins.orders[intent.out_trade_no].update(mix_pay_status="MIX_PAY_REFUND", med_ins_pay_status="MED_INS_PAY_REFUND")


def refund_events(heard):
    return [h for h in heard if h[0].startswith("refund_")]


def test_it_is_a_beat_job():
    entry = app.conf.beat_schedule["payments.med_ins_refunds_sync"]
    assert entry["task"] == "linli.payments.tasks.med_ins_refunds_sync"


def test_the_cash_part_goes_to_wechat_pay_and_the_refund_waits_for_the_insurance_part(med_ins, payer):
    intent = paid(med_ins, payer)

    refund = refunded(intent, 3150)

    [sent] = med_ins.calls("POST", REFUNDS)
    assert sent.json["out_refund_no"] == refund.out_refund_no and sent.json["out_trade_no"] == intent.out_trade_no
    assert sent.json["amount"] == {"refund": 650, "total": 650, "currency": "CNY"}
    assert (refund.status, refund.cash_fen, refund.insurance_fen) == ("pending", 650, 2500)


def test_the_cash_callback_alone_does_not_complete_it(api, keys, med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    resource = {
        "mchid": MCH_ID,
        "out_trade_no": intent.out_trade_no,
        "out_refund_no": refund.out_refund_no,
        "refund_id": "5000000038",
        "refund_status": "SUCCESS",
        "amount": {"total": 650, "refund": 650, "payer_total": 650, "payer_refund": 650},
    }
    body, headers = keys.callback("REFUND.SUCCESS", resource)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}

    assert api.generic("POST", REFUND_NOTIFY, body, content_type="application/json", **extra).status_code == 204

    refund.refresh_from_db()
    assert refund.status == "pending" and refund_events(heard) == []
    note = PaymentNotification.objects.get(out_refund_no=refund.out_refund_no)
    assert (note.provider, note.outcome) == ("wechat_med_ins", "ignored")


def test_it_stays_pending_until_wechat_shows_the_insurance_part_refunded(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"

    assert tasks.med_ins_refunds_sync() == 0
    refund.refresh_from_db()
    assert refund.status == "pending" and refund_events(heard) == []
    assert not PaymentNotification.objects.filter(out_refund_no=refund.out_refund_no).exists()

    insurance_refunded_at_wechat(med_ins, intent)
    assert tasks.med_ins_refunds_sync() == 1

    refund.refresh_from_db()
    assert (
        refund.status == "succeeded" and refund.provider_refund_id == med_ins.refunds[refund.out_refund_no]["refund_id"]
    )
    assert refund_events(heard) == [("refund_succeeded", intent.pk, 3150)]
    note = PaymentNotification.objects.get(out_refund_no=refund.out_refund_no)
    assert (note.event_type, note.outcome) == ("REFUND.QUERY", "applied")


def test_running_it_again_changes_nothing(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"
    insurance_refunded_at_wechat(med_ins, intent)
    tasks.med_ins_refunds_sync()
    asked = len(med_ins.stub.requests)

    assert tasks.med_ins_refunds_sync() == 0

    assert len(med_ins.stub.requests) == asked
    assert len(refund_events(heard)) == 1


def test_a_cash_refund_wechat_pay_closes_fails_it_and_it_can_be_refunded_again(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    med_ins.refunds[refund.out_refund_no]["status"] = "CLOSED"

    assert tasks.med_ins_refunds_sync() == 1

    refund.refresh_from_db()
    intent.refresh_from_db()
    assert refund.status == "failed" and intent.refunded_fen == 0
    assert [name for name, *_ in refund_events(heard)] == ["refund_failed"]


def test_an_insurance_only_refund_needs_no_cash_refund(med_ins, payer, heard):
    intent = paid(med_ins, payer, amount_fen=2500, insurance_fen=2500)
    refund = refunded(intent, 2500)
    assert med_ins.calls("POST", REFUNDS) == [] and refund.status == "pending"
    insurance_refunded_at_wechat(med_ins, intent)

    assert tasks.med_ins_refunds_sync() == 1

    refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert refund_events(heard) == [("refund_succeeded", intent.pk, 2500)]


def test_a_cash_amount_wechat_disagrees_with_is_refused(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    med_ins.refunds[refund.out_refund_no].update(status="SUCCESS", amount={"refund": 1, "total": 650})
    insurance_refunded_at_wechat(med_ins, intent)

    assert tasks.med_ins_refunds_sync() == 0

    refund.refresh_from_db()
    assert refund.status == "pending" and refund_events(heard) == []
    assert PaymentNotification.objects.get(out_refund_no=refund.out_refund_no).outcome == "amount_mismatch"


def test_recent_refunds_and_an_unreachable_wechat_are_left_for_the_next_run(keys, med_ins, payer, heard):
    intent = paid(med_ins, payer)
    recent = refunded(intent, 100, minutes_ago=1)
    refund = refunded(intent, 3050)
    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"
    med_ins.refunds[recent.out_refund_no]["status"] = "SUCCESS"
    insurance_refunded_at_wechat(med_ins, intent)
    path = f"{REFUNDS}/{refund.out_refund_no}"
    med_ins.stub.route("GET", path, lambda request: keys.answer(500, {"code": "SYSTEM_ERROR", "message": "忙"}))

    assert tasks.med_ins_refunds_sync() == 0
    assert med_ins.calls("GET", f"{REFUNDS}/{recent.out_refund_no}") == []

    med_ins.stub.route("GET", path, med_ins.refund_query)
    assert tasks.med_ins_refunds_sync() == 1
    refund.refresh_from_db()
    recent.refresh_from_db()
    assert (refund.status, recent.status) == ("succeeded", "pending")


# --- 医保退款通知: we tell WeChat the 医保 platform refunded the insurance part ----------------


def accept_report(med_ins):
    def report(request):
        order = next(o for o in med_ins.orders.values() if o["mix_trade_no"] == request.query["mix_trade_no"][0])
        order["med_ins_pay_status"] = "MED_INS_PAY_REFUND"
        return med_ins.keys.answer(204, None)

    med_ins.stub.route("POST", REPORT, report)


REPORT = "/v3/med-ins/refunds/notify"


def test_confirming_the_insurance_part_reports_it_to_wechat_and_completes_the_refund(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150, minutes_ago=0)
    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"
    accept_report(med_ins)

    refund = med_ins_refund_confirm(refund=refund)

    [report] = med_ins.calls("POST", REPORT)
    assert report.query == {"mix_trade_no": ["mix-1"]}
    assert report.json["out_refund_no"] == refund.out_refund_no
    assert (report.json["med_refund_total_fee"], report.json["med_refund_self_fee"]) == (2500, 2500)
    assert (report.json["med_refund_gov_fee"], report.json["med_refund_other_fee"]) == (0, 0)
    assert refund.status == "succeeded"
    assert refund_events(heard) == [("refund_succeeded", intent.pk, 3150)]


def test_confirming_before_the_cash_part_is_done_leaves_it_to_the_job(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    accept_report(med_ins)

    assert med_ins_refund_confirm(refund=refund).status == "pending"

    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"
    assert tasks.med_ins_refunds_sync() == 1
    assert med_ins_refund_confirm(refund=refund).status == "succeeded"
    assert len(med_ins.calls("POST", REPORT)) == 1 and len(refund_events(heard)) == 1


def test_a_refund_without_an_insurance_part_cannot_be_confirmed(med_ins, payer):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 100)
    with pytest.raises(InvalidTransition):
        med_ins_refund_confirm(refund=refund)


def test_staff_confirm_it_from_the_refund_admin(med_ins, payer, heard):
    intent = paid(med_ins, payer)
    refund = refunded(intent, 3150)
    med_ins.refunds[refund.out_refund_no]["status"] = "SUCCESS"
    accept_report(med_ins)
    client = Client()
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/payments/refund/", {"action": "confirm_insurance_refunded", "_selected_action": [refund.pk]}
    )

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == "succeeded" and len(med_ins.calls("POST", REPORT)) == 1
