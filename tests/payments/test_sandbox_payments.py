"""The payments platform on the sandbox provider: intents, the simulated callback, points, expiry, refunds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.api.errors import InvalidTransition
from linli.payments import services
from linli.payments.models import PaymentIntent, PaymentNotification, Refund
from linli.points import services as points
from linli.points.models import PointsAccount
from linli.points.services import InsufficientPoints
from tests import factories

pytestmark = pytest.mark.django_db


def make_intent(payer, amount_fen=2000, **kw):
    return services.payment_intent_create(
        payer=payer, amount_fen=amount_fen, purpose="tests.thing", reference="1", description="测试商品", **kw
    )


def balance(user):
    return PointsAccount.objects.get(user=user).balance


def complete(client, intent, result="success"):
    return client.post(f"/api/v1/payments/{intent.pk}/sandbox-complete/", {"result": result}, format="json")


def test_it_creates_an_intent_with_the_sandbox_provider_by_default(resident):
    intent = make_intent(resident)
    assert (intent.provider, intent.method, intent.status) == ("sandbox", "wechat_pay", "created")
    assert 0 < (intent.expires_at - timezone.now()).total_seconds() <= 15 * 60
    assert len(intent.out_trade_no) <= 32


def test_it_gives_client_parameters_once_and_then_the_same_ones(resident):
    intent = make_intent(resident)
    first = services.payment_intent_prepare(intent=intent)
    assert first["package"].startswith("prepay_id=sandbox-")
    assert first["sandbox_complete_url"] == f"/api/v1/payments/{intent.pk}/sandbox-complete/"
    assert services.payment_intent_prepare(intent=intent) == first


def test_the_simulated_callback_marks_it_paid_and_tells_the_owner_once(as_user, resident, heard):
    intent = make_intent(resident)
    client = as_user(resident)
    first = complete(client, intent)
    assert first.status_code == 200
    assert first.json()["status"] == "succeeded"
    again = complete(client, intent)
    assert again.status_code == 200
    assert heard == [("payment_succeeded", intent.pk, None)]
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["applied", "duplicate"]


def test_a_simulated_failure_fails_it_and_returns_the_points(as_user, resident, heard):
    points.award(user=resident, amount=500, reason="志愿服务", idempotency_key="seed")
    intent = make_intent(resident, points_fen=300)
    assert balance(resident) == 200
    assert complete(as_user(resident), intent, "fail").json()["status"] == "failed"
    assert balance(resident) == 500
    assert heard == [("payment_failed", intent.pk, "支付失败")]


def test_someone_elses_payment_is_404(as_user, resident):
    intent = make_intent(factories.make_resident())
    assert complete(as_user(resident), intent).status_code == 404
    assert as_user(resident).get(f"/api/v1/payments/{intent.pk}/").status_code == 404
    intent.refresh_from_db()
    assert intent.status == "created"


def test_the_sandbox_callback_is_404_when_the_sandbox_is_off(as_user, resident, settings):
    intent = make_intent(resident)
    settings.LINLI_SANDBOX = False
    response = complete(as_user(resident), intent)
    assert response.status_code == 404
    intent.refresh_from_db()
    assert intent.status == "created"


def test_points_pay_part_of_it_at_once_and_the_rest_in_cash(resident):
    points.award(user=resident, amount=800, reason="志愿服务", idempotency_key="seed")
    intent = make_intent(resident, amount_fen=2000, points_fen=500)
    assert (intent.cash_fen, balance(resident)) == (1500, 300)
    assert services.payment_intent_prepare(intent=intent)["package"]


def test_points_can_pay_all_of_it(resident, heard):
    points.award(user=resident, amount=2000, reason="志愿服务", idempotency_key="seed")
    intent = make_intent(resident, amount_fen=2000, points_fen=2000)
    assert (intent.method, intent.provider, intent.status) == ("points", "points", "succeeded")
    assert heard == [("payment_succeeded", intent.pk, None)]


def test_it_refuses_more_points_than_the_payer_has(resident):
    points.award(user=resident, amount=100, reason="志愿服务", idempotency_key="seed")
    with pytest.raises(InsufficientPoints):
        make_intent(resident, points_fen=300)
    assert balance(resident) == 100


def test_expired_intents_close_once_and_give_the_points_back(resident, heard):
    points.award(user=resident, amount=500, reason="志愿服务", idempotency_key="seed")
    intent = make_intent(resident, points_fen=200)
    fresh = make_intent(resident)
    later = timezone.now() + timedelta(minutes=16)
    assert services.payment_intents_close_expired(now=later) == 2
    assert services.payment_intents_close_expired(now=later) == 0
    intent.refresh_from_db()
    assert intent.status == "closed"
    assert balance(resident) == 500
    assert sorted(heard) == sorted([("payment_closed", intent.pk, "expired"), ("payment_closed", fresh.pk, "expired")])


def test_the_beat_task_closes_only_what_has_expired(resident):
    from linli.payments.tasks import close_expired_intents

    intent = make_intent(resident)
    PaymentIntent.objects.filter(pk=intent.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    still_open = make_intent(resident)
    assert close_expired_intents.delay().get() == 1
    assert PaymentIntent.objects.get(pk=still_open.pk).status == "created"


def test_a_closed_intent_cannot_be_paid_again(resident):
    intent = make_intent(resident)
    services.payment_intent_close(intent=intent, reason="cancelled")
    with pytest.raises(InvalidTransition):
        services.payment_intent_prepare(intent=intent)


def test_a_callback_after_closing_refunds_the_late_money(as_user, resident, heard):
    intent = make_intent(resident)
    services.payment_intent_close(intent=intent, reason="expired")
    assert complete(as_user(resident), intent).status_code == 200
    intent.refresh_from_db()
    assert intent.status == "closed"
    refund = intent.refunds.get()
    assert (refund.cash_fen, refund.status) == (intent.amount_fen, "succeeded")
    assert PaymentNotification.objects.get().outcome == "late_refunded"
    complete(as_user(resident), intent)
    assert intent.refunds.count() == 1, "a repeated late callback refunds once"


def paid_intent(payer, amount_fen=2000, points_fen=0):
    intent = make_intent(payer, amount_fen=amount_fen, points_fen=points_fen)
    services.payment_sandbox_complete(intent=intent)
    intent.refresh_from_db()
    return intent


def test_partial_and_full_refunds_never_exceed_what_was_paid(resident, heard):
    intent = paid_intent(resident)
    services.refund_create(intent=intent, amount_fen=500, reason="少了一个")
    services.refund_create(intent=intent, amount_fen=1500, reason="全部退回")
    intent.refresh_from_db()
    assert intent.refunded_fen == 2000
    with pytest.raises(services.RefundExceedsPaid):
        services.refund_create(intent=intent, amount_fen=1, reason="再退")
    assert [h[0] for h in heard].count("refund_succeeded") == 2


def test_a_refund_gives_back_cash_first_then_points(resident):
    points.award(user=resident, amount=600, reason="志愿服务", idempotency_key="seed")
    intent = paid_intent(resident, amount_fen=2000, points_fen=600)
    first = services.refund_create(intent=intent, amount_fen=1000, reason="部分退款")
    second = services.refund_create(intent=intent, amount_fen=1000, reason="余下退款")
    assert (first.cash_fen, first.points_fen) == (1000, 0)
    assert (second.cash_fen, second.points_fen) == (400, 600)
    assert balance(resident) == 600


def test_an_unpaid_intent_cannot_be_refunded(resident):
    intent = make_intent(resident)
    with pytest.raises(InvalidTransition):
        services.refund_create(intent=intent, amount_fen=100, reason="x")
    assert not Refund.objects.exists()


def test_my_payments_list_shows_only_mine_with_refunds(as_user, resident):
    mine = paid_intent(resident)
    services.refund_create(intent=mine, amount_fen=300, reason="少了一个")
    make_intent(factories.make_resident())
    body = as_user(resident).get("/api/v1/payments/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["refunds"][0]["amount_fen"] == 300
    assert as_user(resident).get("/api/v1/payments/", {"status": "created"}).json()["count"] == 0


def test_the_sandbox_contract_is_signed_once_and_can_be_ended(as_user, resident):
    client = as_user(resident)
    first = client.post("/api/v1/payments/contracts/sandbox-sign/")
    second = client.post("/api/v1/payments/contracts/sandbox-sign/")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    ended = client.post(f"/api/v1/payments/contracts/{first.json()['id']}/terminate/")
    assert ended.json()["status"] == "terminated"
    assert client.get("/api/v1/payments/contracts/").json()["count"] == 1


def test_a_pay_score_order_needs_a_contract_and_charges_on_completion(resident, heard):
    with pytest.raises(services.ContractRequired):
        services.service_order_create(
            payer=resident, purpose="tests.thing", reference="9", description="无人柜", risk_amount_fen=10000
        )
    services.contract_sign_sandbox(user=resident)
    service_order = services.service_order_create(
        payer=resident, purpose="tests.thing", reference="9", description="无人柜", risk_amount_fen=10000
    )
    intent = services.service_order_complete(service_order=service_order, amount_fen=1250)
    assert (intent.amount_fen, intent.status) == (1250, "succeeded")
    assert services.service_order_complete(service_order=service_order, amount_fen=1250).pk == intent.pk
    assert heard == [("payment_succeeded", intent.pk, None)]


def test_a_pay_score_order_with_nothing_taken_is_cancelled(resident):
    services.contract_sign_sandbox(user=resident)
    service_order = services.service_order_create(
        payer=resident, purpose="tests.thing", reference="9", description="无人柜", risk_amount_fen=10000
    )
    assert services.service_order_complete(service_order=service_order, amount_fen=0) is None
    service_order.refresh_from_db()
    assert service_order.status == "cancelled"
    assert not PaymentIntent.objects.exists()


def test_the_expiry_job_is_on_the_beat_schedule():
    from linli.celery import app

    entry = app.conf.beat_schedule["payments.close_expired_intents"]
    assert (entry["task"], entry["schedule"]) == ("linli.payments.tasks.close_expired_intents", 60.0)
