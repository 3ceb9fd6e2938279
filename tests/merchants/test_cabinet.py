"""The unmanned cabinet in 回龙市集: open with a Pay Score contract, weigh at door close, charge or review."""

import pytest

from linli.devices.models import DeviceCommand
from linli.payments.models import PaymentIntent, ServiceOrder
from linli.payments.services import contract_sign_sandbox
from merchants.models import CabinetSession, Order, Product
from tests.merchants.devices import ack, post_event
from tests.merchants.factories import make_cabinet, make_owner, make_product

pytestmark = pytest.mark.django_db
SESSIONS = "/api/v1/market/cabinet-sessions/"


@pytest.fixture
def cabinet(community):
    merchant, owner = make_owner(community)
    apple = make_product(merchant, name="红富士苹果", price_fen=450, unit="个", stock=20)
    egg = make_product(merchant, name="土鸡蛋", price_fen=180, unit="枚", stock=30)
    device = make_cabinet(merchant, [("A1", apple, 250, 40), ("B1", egg, 55, 10)], code="huilong-cabinet-1")
    return {"device": device, "owner": owner, "apple": apple, "egg": egg}


@pytest.fixture
def shopper(resident):
    contract_sign_sandbox(user=resident)
    return resident


def open_session(client):
    response = client.post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert response.status_code == 201, response.content
    return CabinetSession.objects.get(pk=response.json()["id"])


def close_door(device, session, slots, event_id="evt-1"):
    return post_event(device, "cabinet.door_closed", {"session": session.pk, "slots": slots}, event_id=event_id)


def test_opening_needs_an_accepted_payment_contract(as_user, resident, cabinet):
    response = as_user(resident).post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "payment_contract_required")
    assert not DeviceCommand.objects.exists()


def test_opening_starts_a_pay_score_order_and_opens_the_door(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    assert session.status == "open"
    assert session.service_order.status == "created"
    command = DeviceCommand.objects.get(device=cabinet["device"])
    assert (command.kind, command.payload) == ("open_door", {"session": session.pk})


def test_the_cabinet_is_busy_while_someone_shops(as_user, shopper, cabinet):
    from tests import factories

    open_session(as_user(shopper))
    other = factories.make_resident()
    contract_sign_sandbox(user=other)
    response = as_user(other).post(SESSIONS, {"device": "huilong-cabinet-1"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "cabinet_busy")


def test_weight_drops_become_an_order_that_is_charged_and_shown_as_a_receipt(as_user, shopper, cabinet):
    client = as_user(shopper)
    session = open_session(client)
    close_door(
        cabinet["device"],
        session,
        [
            {"slot": "A1", "before_g": 5000, "after_g": 4490},  # 510 g: 2 apples (±40 g)
            {"slot": "B1", "before_g": 1650, "after_g": 1487},  # 163 g: 3 eggs (±10 g)
        ],
    )
    session.refresh_from_db()
    assert session.status == "settled"
    order = session.order
    assert (order.kind, order.status, order.total_fen) == ("cabinet", "completed", 2 * 450 + 3 * 180)
    assert {(i.name, i.quantity) for i in order.items.all()} == {("红富士苹果", 2), ("土鸡蛋", 3)}
    assert session.service_order.status == "completed"
    assert PaymentIntent.objects.get(pk=order.payment_intent_id).status == "succeeded"
    assert Product.objects.get(pk=cabinet["apple"].pk).stock == 18
    receipt = client.get(f"/api/v1/market/orders/{order.pk}/").json()
    assert [h["to_status"] for h in receipt["history"]] == ["pending_payment", "paid", "completed"]
    assert client.get(f"{SESSIONS}{session.pk}/").json()["order"] == order.pk


def test_a_repeated_door_closed_event_does_not_charge_twice(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    slots = [{"slot": "A1", "before_g": 5000, "after_g": 4750}]
    close_door(cabinet["device"], session, slots, event_id="evt-1")
    close_door(cabinet["device"], session, slots, event_id="evt-1")
    close_door(cabinet["device"], session, slots, event_id="evt-2")
    assert Order.objects.count() == 1
    assert PaymentIntent.objects.count() == 1
    assert Product.objects.get(pk=cabinet["apple"].pk).stock == 19


def test_nothing_taken_charges_nothing(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    close_door(cabinet["device"], session, [{"slot": "A1", "before_g": 5000, "after_g": 4985}])
    session.refresh_from_db()
    assert (session.status, session.order_id) == ("empty", None)
    assert session.service_order.status == "cancelled"
    assert not PaymentIntent.objects.exists()


def test_an_ambiguous_reading_waits_for_review_and_charges_nothing(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    close_door(
        cabinet["device"],
        session,
        [
            {"slot": "A1", "before_g": 5000, "after_g": 4620},  # 380 g: 1.5 apples — ambiguous
            {"slot": "B1", "before_g": 1650, "after_g": 1595},  # 55 g: 1 egg — clear
        ],
    )
    session.refresh_from_db()
    order = session.order
    assert (session.status, order.status, order.needs_review) == ("under_review", "under_review", True)
    assert "A1" in order.review_note
    assert order.payment_intent_id is None
    assert not PaymentIntent.objects.exists()
    assert session.service_order.status == "created"
    owner_view = as_user(cabinet["owner"]).get("/api/v1/merchant/orders/", {"needs_review": True}).json()
    assert [o["id"] for o in owner_view["results"]] == [order.pk]


def test_a_weight_gain_is_ambiguous_too(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    close_door(cabinet["device"], session, [{"slot": "B1", "before_g": 1650, "after_g": 1800}])
    session.refresh_from_db()
    assert session.order.status == "under_review"


def test_the_merchant_settles_a_review_within_what_the_weights_allow(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    close_door(
        cabinet["device"],
        session,
        [{"slot": "A1", "before_g": 5000, "after_g": 4620}, {"slot": "B1", "before_g": 1650, "after_g": 1595}],
    )
    order = CabinetSession.objects.get(pk=session.pk).order
    url = f"/api/v1/merchant/orders/{order.pk}/settle/"
    owner = as_user(cabinet["owner"])
    too_many = owner.post(url, {"items": [{"product": cabinet["apple"].pk, "quantity": 2}]}, format="json")
    assert too_many.status_code == 400, "380 g (+40 g tolerance) cannot be two 250 g apples"
    settled = owner.post(
        url,
        {"items": [{"product": cabinet["apple"].pk, "quantity": 1}, {"product": cabinet["egg"].pk, "quantity": 1}]},
        format="json",
    )
    assert settled.status_code == 200, settled.content
    assert (settled.json()["status"], settled.json()["total_fen"]) == ("completed", 630)
    assert ServiceOrder.objects.get().status == "completed"
    assert owner.post(url, {"items": []}, format="json").status_code == 409


def test_a_review_that_finds_nothing_taken_cancels_without_a_charge(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    close_door(cabinet["device"], session, [{"slot": "A1", "before_g": 5000, "after_g": 4870}])
    order = CabinetSession.objects.get(pk=session.pk).order
    response = as_user(cabinet["owner"]).post(
        f"/api/v1/merchant/orders/{order.pk}/settle/", {"items": []}, format="json"
    )
    assert response.json()["status"] == "cancelled"
    assert ServiceOrder.objects.get().status == "cancelled"
    assert not PaymentIntent.objects.exists()


def test_a_door_that_fails_to_open_ends_the_visit_without_a_charge(as_user, shopper, cabinet):
    session = open_session(as_user(shopper))
    ack(DeviceCommand.objects.get(kind="open_door"), DeviceCommand.Status.FAILED)
    session.refresh_from_db()
    assert (session.status, session.service_order.status) == ("empty", "cancelled")
    open_session(as_user(shopper))  # the cabinet is free again


def test_the_cabinet_shows_its_slots(as_user, resident, cabinet):
    body = as_user(resident).get("/api/v1/market/devices/huilong-cabinet-1/").json()
    assert [(slot["code"], slot["product"]["name"]) for slot in body["slots"]] == [
        ("A1", "红富士苹果"),
        ("B1", "土鸡蛋"),
    ]
