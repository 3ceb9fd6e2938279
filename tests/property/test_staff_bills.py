"""Property staff: bills of their scope, payments at the counter with a receipt, waivers and
adjustments with a reason (audited), refunds of counter payments, arrears by building, bill runs."""

import pytest

from linli.payments.models import PaymentIntent
from property.models import Bill, BillHistory, Receipt
from property.services import bills as services
from tests.property import factories as pf

pytestmark = pytest.mark.django_db
BILLS = "/api/v1/staff/property/bills/"


def test_staff_record_a_cash_payment_of_several_bills_with_one_receipt(as_user, room, manager):
    bills = pf.make_bills(room, n=2)

    response = as_user(manager).post(
        "/api/v1/staff/property/offline-payments/",
        {"bills": [b.pk for b in bills], "method": "cash", "payer_name": "张大爷", "note": "前台现金"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount_fen"] == sum(b.amount_fen for b in bills)
    assert body["payer_name"] == "张大爷" and body["method"] == "cash"
    assert [b["status"] for b in body["bills"]] == ["paid", "paid"]
    assert body["number"].startswith("SJ") and body["print_url"]
    assert Receipt.objects.get().recorded_by == manager


def test_a_counter_payment_closes_the_households_open_online_payment(room, owner, manager):
    bills = pf.make_bills(room)
    intent = services.bills_pay(user=owner, bill_ids=[bills[0].pk])

    services.bills_record_offline(bills=bills, actor=manager, method="transfer", payer_name="张大爷")

    intent.refresh_from_db()
    assert intent.status == PaymentIntent.Status.CLOSED
    assert Bill.objects.get().status == "paid"


def test_waiving_needs_a_reason_and_is_recorded(as_user, room, manager):
    bill = pf.make_bills(room)[0]
    client = as_user(manager)

    assert client.post(f"{BILLS}{bill.pk}/waive/", {"reason": ""}, format="json").status_code == 400
    response = client.post(f"{BILLS}{bill.pk}/waive/", {"reason": "低保户减免"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "waived"
    step = response.json()["history"][-1]
    assert (step["action"], step["note"], step["actor"]["id"]) == ("waive", "低保户减免", manager.pk)
    again = client.post(f"{BILLS}{bill.pk}/waive/", {"reason": "再减"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_adjusting_keeps_the_old_and_new_amount_in_the_history(as_user, room, manager):
    bill = pf.make_bills(room)[0]

    response = as_user(manager).post(
        f"{BILLS}{bill.pk}/adjust/", {"amount_fen": 8000, "reason": "年中入住，按半月计"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["amount_fen"], response.json()["original_fen"]) == (8000, bill.amount_fen)
    step = BillHistory.objects.get(action="adjust")
    assert (step.amount_before_fen, step.amount_after_fen, step.note) == (bill.amount_fen, 8000, "年中入住，按半月计")


def test_a_paid_bill_cannot_be_adjusted_or_waived(as_user, room, manager):
    bill = pf.make_bills(room)[0]
    services.bills_record_offline(bills=[bill], actor=manager, method="cash", payer_name="张大爷")
    client = as_user(manager)

    adjust = client.post(f"{BILLS}{bill.pk}/adjust/", {"amount_fen": 1, "reason": "x"}, format="json")
    waive = client.post(f"{BILLS}{bill.pk}/waive/", {"reason": "x"}, format="json")

    assert adjust.status_code == waive.status_code == 409


def test_refunding_a_counter_payment_is_recorded_at_once(as_user, room, manager):
    bill = pf.make_bills(room)[0]
    services.bills_record_offline(bills=[bill], actor=manager, method="cash", payer_name="张大爷")

    response = as_user(manager).post(f"{BILLS}{bill.pk}/refund/", {"amount_fen": 100, "reason": "找零"}, format="json")

    assert response.json()["status"] == "partially_refunded" and response.json()["refunded_fen"] == 100


def test_the_list_filters_by_building_status_and_period(as_user, estate, manager):
    a = pf.make_room(estate, building="1幢", unit="1单元")
    b = pf.make_room(estate, building="2幢", unit="1单元")
    item = pf.make_fee_item(estate)
    from property.services.fees import bill_run_item

    bill_run_item(item=item, period=pf.PERIOD)
    bill_run_item(item=item, period=pf.PERIOD.replace(month=10))
    services.bills_record_offline(
        bills=list(a.bills.filter(period__month=10)), actor=manager, method="cash", payer_name="x"
    )
    client = as_user(manager)

    def ids(query):
        return {row["id"] for row in client.get(BILLS, query).json()["results"]}

    assert ids({"building": a.building_id}) == set(a.bills.values_list("pk", flat=True))
    assert ids({"status": "paid"}) == set(a.bills.filter(period__month=10).values_list("pk", flat=True))
    assert ids({"period": "2026-11"}) == set(Bill.objects.filter(period=pf.PERIOD).values_list("pk", flat=True))
    assert ids({"estate": estate.pk, "building": b.building_id, "period": "2026-10"}) == {
        b.bills.get(period__month=10).pk
    }
    bad = client.get(BILLS, {"period": "2026-13"})
    assert bad.status_code == 400 and "period" in bad.json()["fields"]


def test_arrears_are_summed_per_building(as_user, estate, manager):
    rooms = [pf.make_room(estate, building="1幢", unit="1单元", area="100.00") for _ in range(2)]
    pf.make_room(estate, building="2幢", unit="1单元", area="50.00")
    pf.make_bills(rooms[0])  # one item → one bill per room of the estate
    services.bills_record_offline(bills=[rooms[1].bills.get()], actor=manager, method="cash", payer_name="x")

    rows = as_user(manager).get("/api/v1/staff/property/bills/arrears/").json()

    assert [(r["name"], r["bill_count"], r["room_count"], r["amount_fen"]) for r in rows] == [
        (f"{estate.name} 1幢1单元", 1, 1, 18000),
        (f"{estate.name} 2幢1单元", 1, 1, 9000),
    ]


def test_staff_run_the_bills_of_their_estate_and_a_second_run_creates_nothing(as_user, estate, room, manager):
    pf.make_fee_item(estate)
    client = as_user(manager)

    first = client.post("/api/v1/staff/property/bill-runs/", {"period": "2026-11", "estate": estate.pk}, format="json")
    second = client.post("/api/v1/staff/property/bill-runs/", {"period": "2026-11", "estate": estate.pk}, format="json")

    assert (first.json()["created"], second.json()["created"], second.json()["existing"]) == (1, 0, 1)


def test_the_receipt_page_opens_with_its_signed_link_only(as_user, client, room, owner, manager):
    bill = pf.make_bills(room)[0]
    receipt = services.bills_record_offline(bills=[bill], actor=manager, method="cash", payer_name="张大爷")
    url = as_user(owner).get(f"/api/v1/property/receipts/{receipt.pk}/").json()["print_url"]

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert receipt.number in html and "张大爷" in html and f"{bill.amount_fen / 100:.2f}" in html
    assert client.get(url.replace("/receipts/", "/receipts/x")).status_code == 404


def test_the_receipt_link_expires(client, room, manager, settings):
    from django.core import signing

    from property import receipts

    bill = pf.make_bills(room)[0]
    receipt = services.bills_record_offline(bills=[bill], actor=manager, method="cash", payer_name="张大爷")
    url = receipts.print_url(receipt)
    signer = signing.TimestampSigner

    original = signer.timestamp
    signer.timestamp = lambda self: signing.b62_encode(int(__import__("time").time()) - 25 * 3600)
    try:
        old_url = receipts.print_url(receipt)
    finally:
        signer.timestamp = original

    assert client.get(url).status_code == 200
    assert client.get(old_url).status_code == 404
