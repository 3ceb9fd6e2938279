"""Cancelling a care order: refunds per part (the subsidy to the ledger, the rest online), never above
what was paid, the subsidy back exactly once, and the late-cancellation rule after dispatch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from care import services
from care.models import CareOrder, SubsidyAccount, SubsidyEntry
from linli.payments import services as payments
from linli.payments.models import PaymentIntent, Refund
from tests.care import factories as cf


def cancel(client, order):
    return client.post(f"/api/v1/care/orders/{order.pk}/cancel/", {"reason": "临时有事"}, format="json")


def balance(elder) -> int:
    return SubsidyAccount.objects.get(elder=elder).balance_fen


def refunds_by_part(order) -> dict[str, tuple[int, str]]:
    rows = Refund.objects.filter(intent_id=order.payment_intent_id).values_list(
        "part__reference", "amount_fen", "status"
    )
    return {reference: (amount, status) for reference, amount, status in rows}


def test_cancelling_a_paid_order_before_dispatch_refunds_each_part_in_full(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing)
    assert (order.status, balance(elder)) == ("placed", 0)

    response = cancel(as_user(elder), order)

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert refunds_by_part(order) == {"subsidy": (3000, "succeeded"), "self": (5000, "succeeded")}
    order.refresh_from_db()
    assert (order.refunded_subsidy_fen, order.refunded_cash_fen) == (3000, 5000)
    assert balance(elder) == 3000
    assert SubsidyEntry.objects.filter(order=order, kind="refund").count() == 1
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id)
    assert intent.refunded_fen == intent.amount_fen == 8000


def test_cancelling_twice_refunds_once(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing)
    client = as_user(elder)
    assert cancel(client, order).status_code == 200

    again = cancel(client, order)

    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert Refund.objects.filter(intent_id=order.payment_intent_id).count() == 2
    assert balance(elder) == 3000


def test_no_part_is_refunded_above_what_it_paid(community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing)
    services.care_order_cancel(order=order, by=elder)
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id)

    for part in intent.parts.all():
        with pytest.raises(payments.RefundExceedsPaid):
            payments.refund_create(intent=intent, part=part, amount_fen=1, reason="再退一次")
    assert balance(elder) == 3000


def test_cancelling_an_unpaid_order_closes_the_payment_and_returns_the_subsidy_once(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing, upto="pending_payment")
    assert balance(elder) == 0

    response = cancel(as_user(elder), order)

    assert response.json()["status"] == "cancelled"
    assert PaymentIntent.objects.get(pk=order.payment_intent_id).status == "closed"
    assert balance(elder) == 3000
    payments.payment_intent_close(intent=PaymentIntent.objects.get(pk=order.payment_intent_id))  # closing again
    assert balance(elder) == 3000
    assert SubsidyEntry.objects.filter(order=order, kind="refund").count() == 1


def test_an_unpaid_order_whose_payment_expires_ends_and_returns_the_subsidy(community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing, upto="pending_payment")

    closed = payments.payment_intents_close_expired(now=timezone.now() + timedelta(hours=1))

    assert closed == 1
    order.refresh_from_db()
    assert order.status == CareOrder.Status.CANCELLED
    assert balance(elder) == 3000


def test_a_late_cancellation_after_dispatch_keeps_part_of_the_cash_but_returns_the_subsidy(
    as_user, community, elder, bathing
):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing, upto="dispatched", start=timezone.now() + timedelta(hours=1))

    response = cancel(as_user(elder), order)

    assert response.status_code == 200
    assert refunds_by_part(order) == {"subsidy": (3000, "succeeded"), "self": (4000, "succeeded")}  # 20 % of 5000 kept
    assert balance(elder) == 3000
    assert any("扣除" in step["note"] for step in response.json()["timeline"] if step["action"] == "cancel")


def test_an_early_cancellation_after_dispatch_refunds_everything(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, bathing, upto="dispatched", start=timezone.now() + timedelta(hours=5))

    cancel(as_user(elder), order)

    assert refunds_by_part(order) == {"subsidy": (3000, "succeeded"), "self": (5000, "succeeded")}


def test_the_late_cancellation_window_and_fee_are_configurable(as_user, community, elder, bathing, settings):
    settings.CARE_LATE_CANCEL_HOURS = 6
    settings.CARE_LATE_CANCEL_FEE_PERCENT = 50
    order = cf.make_order(elder, bathing, upto="dispatched", start=timezone.now() + timedelta(hours=5))

    cancel(as_user(elder), order)

    assert refunds_by_part(order) == {"self": (4000, "succeeded")}


def test_an_order_in_service_cannot_be_cancelled(as_user, elder, bathing):
    order = cf.make_order(elder, bathing, upto="in_service")

    response = cancel(as_user(elder), order)

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert not Refund.objects.exists()
