"""Residents pay several bills in one payment (one part per bill); staff refund a bill's part."""

import pytest

from linli.payments import services as payments
from linli.payments.models import PaymentIntent, Refund
from property.models import Bill, BillHistory, ParkingPermit, Receipt
from property.services import bills as services
from tests.property import factories as pf

pytestmark = pytest.mark.django_db
URL = "/api/v1/property/payments/"


def pay(client, bills, key="pay-1"):
    return client.post(URL, {"bills": [b.pk for b in bills]}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_paying_three_bills_makes_one_payment_with_a_part_per_bill_and_one_receipt(as_user, room, owner):
    bills = pf.make_bills(room, n=3)
    client = as_user(owner)

    response = pay(client, bills)

    assert response.status_code == 201, response.json()
    body = response.json()
    intent = PaymentIntent.objects.get(pk=body["id"])
    assert body["amount_fen"] == sum(b.amount_fen for b in bills) == intent.amount_fen
    assert sorted(body["bills"]) == [b.pk for b in bills]
    assert sorted(intent.parts.values_list("reference", "amount_fen")) == sorted(
        (str(b.pk), b.amount_fen) for b in bills
    )
    assert body["client_params"]
    assert Bill.objects.filter(status="unpaid").count() == 3  # until the provider says it is paid

    payments.payment_sandbox_complete(intent=intent)

    receipt = Receipt.objects.get()
    assert (receipt.intent, receipt.payer, receipt.amount_fen, receipt.method) == (
        intent,
        owner,
        intent.amount_fen,
        "online",
    )
    assert set(receipt.bills.values_list("status", flat=True)) == {"paid"}
    assert BillHistory.objects.filter(action="pay", actor=owner).count() == 3


def test_the_same_idempotency_key_replays_the_first_payment(as_user, room, owner):
    bills = pf.make_bills(room, n=2)
    client = as_user(owner)

    first, second = pay(client, bills), pay(client, bills)

    assert second.status_code == 201 and second.json()["id"] == first.json()["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert PaymentIntent.objects.count() == 1
    other = pay(client, bills[:1])
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"


def test_refunding_one_bill_of_three_in_part_leaves_the_others_paid(as_user, room, owner, manager):
    bills = pf.make_bills(room, n=3)
    intent = PaymentIntent.objects.get(pk=pay(as_user(owner), bills).json()["id"])
    payments.payment_sandbox_complete(intent=intent)
    target = bills[1]
    staff = as_user(manager)

    response = staff.post(
        f"/api/v1/staff/property/bills/{target.pk}/refund/", {"amount_fen": 5000, "reason": "多收退回"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["refunded_fen"]) == ("partially_refunded", 5000)
    refund = Refund.objects.get()
    assert (refund.part.reference, refund.amount_fen) == (str(target.pk), 5000)
    assert sorted(Bill.objects.values_list("status", flat=True)) == ["paid", "paid", "partially_refunded"]

    rest = target.amount_fen - 5000
    response = staff.post(
        f"/api/v1/staff/property/bills/{target.pk}/refund/", {"amount_fen": rest + 1, "reason": "再退"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "refund_exceeds_paid"
    response = staff.post(
        f"/api/v1/staff/property/bills/{target.pk}/refund/", {"amount_fen": rest, "reason": "全部退回"}, format="json"
    )
    assert response.json()["status"] == "refunded"
    intent.refresh_from_db()
    assert intent.refunded_fen == target.amount_fen


def test_it_refuses_bills_that_are_not_my_households(as_user, room, owner, estate):
    neighbour = pf.make_room(estate)
    theirs = pf.make_bills(neighbour)
    mine = pf.make_bills(room)

    response = pay(as_user(owner), [*mine, *theirs])

    assert response.status_code == 404
    assert PaymentIntent.objects.count() == 0


def test_any_verified_member_of_the_household_may_pay(as_user, room, owner):
    bills = pf.make_bills(room)
    spouse = pf.make_household(room)

    assert pay(as_user(spouse), bills).status_code == 201


def test_a_paid_bill_cannot_be_paid_again(as_user, room, owner):
    bills = pf.make_bills(room)
    intent = PaymentIntent.objects.get(pk=pay(as_user(owner), bills).json()["id"])
    payments.payment_sandbox_complete(intent=intent)

    response = pay(as_user(owner), bills, key="pay-2")

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_paying_again_closes_the_earlier_open_payment(as_user, room, owner):
    bills = pf.make_bills(room, n=2)
    first = PaymentIntent.objects.get(pk=pay(as_user(owner), bills).json()["id"])

    second = PaymentIntent.objects.get(pk=pay(as_user(owner), bills[:1], key="pay-2").json()["id"])

    first.refresh_from_db()
    assert first.status == "closed"
    assert set(Bill.objects.values_list("intent", flat=True)) == {second.pk, None}
    payments.payment_sandbox_complete(intent=second)
    assert sorted(Bill.objects.values_list("status", flat=True)) == ["paid", "unpaid"]


def test_a_bill_settled_at_the_counter_meanwhile_gets_its_part_back(room, owner, manager):
    bills = pf.make_bills(room, n=2)
    intent = services.bills_pay(user=owner, bill_ids=[b.pk for b in bills])
    # The counter records bill 0 without going through the service (as if it raced the payment).
    Bill.objects.filter(pk=bills[0].pk).update(status="waived")

    payments.payment_sandbox_complete(intent=intent)

    assert Refund.objects.get().part.reference == str(bills[0].pk)
    assert Bill.objects.get(pk=bills[1].pk).status == "paid"


def test_paying_a_parking_bill_activates_its_permit(room, owner, estate):
    from property.models import FeeItem
    from property.services.fees import bill_run

    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    pf.make_vehicle(room, owner)
    bill_run(period=pf.PERIOD)
    bill = Bill.objects.get(vehicle__isnull=False)

    intent = services.bills_pay(user=owner, bill_ids=[bill.pk])
    payments.payment_sandbox_complete(intent=intent)

    assert ParkingPermit.objects.get().status == "active"


def test_an_expired_payment_lets_the_bills_be_paid_again(room, owner):
    bills = pf.make_bills(room)
    intent = services.bills_pay(user=owner, bill_ids=[bills[0].pk])

    payments.payment_intent_close(intent=intent, reason="expired")

    assert Bill.objects.get().intent is None
