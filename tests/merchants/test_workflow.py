"""Orders and merchant applications on the platform workflow: 409s that name the current state, a
history row for every step, the device flows on public services only, and the migration that
gives old order history rows their action."""

import ast
from pathlib import Path

import pytest

import merchants.devices
from linli.payments.services import contract_sign_sandbox
from merchants import services
from merchants.models import CabinetSession, MerchantApplication
from tests import factories
from tests.merchants.devices import post_event
from tests.merchants.factories import make_cabinet, make_order, make_owner, make_paid_order, make_product
from tests.support.migrations import migrate

APPLICATIONS, REVIEW = "/api/v1/merchants/applications/", "/api/v1/staff/merchant-applications/"


@pytest.fixture
def shop(community):
    merchant, owner = make_owner(community)
    return owner, make_product(merchant, name="衢州椪柑", price_fen=1280, stock=5)


def test_it_names_the_current_state_when_an_order_step_is_not_allowed(as_user, resident, shop):
    owner, product = shop
    order = make_order(resident, product)
    as_user(resident).post(f"/api/v1/market/orders/{order.pk}/cancel/")
    response = as_user(owner).post(f"/api/v1/merchant/orders/{order.pk}/accept/")
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "订单当前为「已取消」，不能接单",
        "status": "cancelled",
    }
    paid = make_paid_order(resident, product)
    response = as_user(owner).post(f"/api/v1/merchant/orders/{paid.pk}/ready/")
    assert response.json() == {
        "code": "invalid_transition",
        "message": "订单当前为「已支付」，不能备货完成",
        "status": "paid",
    }


def test_it_writes_a_history_row_for_every_order_step(resident, shop):
    owner, product = shop
    order = make_paid_order(resident, product, 2)
    services.order_accept(order=order, by=owner)
    services.order_ready(order=order, by=owner)
    services.order_complete(order=order, by=owner, pickup_code=order.pickup_code)
    services.order_refund(order=order, by=owner, amount_fen=500, reason="少称了")
    steps = list(order.history.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("place", "", "pending_payment", resident.pk),
        ("pay", "pending_payment", "paid", None),
        ("accept", "paid", "accepted", owner.pk),
        ("ready", "accepted", "ready", owner.pk),
        ("pick_up", "ready", "completed", owner.pk),
        ("partial_refund", "completed", "completed", owner.pk),
    ]


def test_it_flags_an_ambiguous_cabinet_visit_for_review_and_records_the_review(as_user, resident, community):
    merchant, owner = make_owner(community)
    apple = make_product(merchant, name="红富士苹果", price_fen=450, unit="个", stock=20)
    device = make_cabinet(merchant, [("A1", apple, 250, 40)], code="huilong-cabinet-1")
    contract_sign_sandbox(user=resident)
    opened = as_user(resident).post("/api/v1/market/cabinet-sessions/", {"device": device.code}, format="json")
    session = CabinetSession.objects.get(pk=opened.json()["id"])
    readings = [{"slot": "A1", "before_g": 5000, "after_g": 4620}]
    post_event(device, "cabinet.door_closed", {"session": session.pk, "slots": readings}, event_id="evt-1")
    order = CabinetSession.objects.get(pk=session.pk).order
    body = {"items": [{"product": apple.pk, "quantity": 1}]}
    assert as_user(owner).post(f"/api/v1/merchant/orders/{order.pk}/settle/", body, format="json").status_code == 200
    steps = list(order.history.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("flag_for_review", "", "under_review", None),
        ("review", "under_review", "pending_payment", owner.pk),
        ("pay", "pending_payment", "paid", None),
        ("complete", "paid", "completed", None),
    ]


def test_the_device_flows_call_only_public_service_functions():
    tree = ast.parse(Path(merchants.devices.__file__).read_text())
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "services"
    }
    assert used, "merchants.devices no longer calls merchants.services?"
    assert not {name for name in used if name.startswith("_")}
    assert used <= set(services.__all__)


def _apply(client, community):
    body = {
        "name": "回龙市集·老周鲜果",
        "community": community.pk,
        "category": "fruit_veg",
        "licence_number": "91330802MA2ABCDE1X",
        "contact_name": "周师傅",
        "contact_phone": "13905700001",
    }
    return client.post(APPLICATIONS, body, format="json").json()["id"]


def test_it_names_the_current_state_when_an_application_is_decided_twice(as_user, community, staff):
    pk = _apply(as_user(factories.make_user()), community)
    assert as_user(staff).post(f"{REVIEW}{pk}/approve/", {}, format="json").status_code == 200
    response = as_user(staff).post(f"{REVIEW}{pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "入驻申请当前为「已通过」，不能通过",
        "status": "approved",
    }


def test_it_writes_a_history_row_for_every_application_step(as_user, community, staff):
    applicant = factories.make_user()
    pk = _apply(as_user(applicant), community)
    as_user(staff).post(f"{REVIEW}{pk}/reject/", {"note": "执照模糊"}, format="json")
    steps = MerchantApplication.objects.get(pk=pk).history.values_list("action", "from_status", "to_status", "actor")
    assert list(steps) == [("submit", "", "pending", applicant.pk), ("reject", "pending", "rejected", staff.pk)]


# --- the migration keeps the rows -----------------------------------------------------------------

BEFORE, AFTER = [("merchants", "0001_initial")], [("merchants", "0002_workflow_history")]


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_order_history_and_reads_each_steps_action_when_migrating(to_latest):
    community, buyer, reviewer = factories.make_community(), factories.make_resident(), factories.make_user()
    old = migrate(BEFORE)
    try:
        merchant = old.get_model("merchants", "Merchant").objects.create(
            name="老周鲜果", community_id=community.pk, category="fruit_veg", licence_number="x", contact_phone="1"
        )
        order = old.get_model("merchants", "Order").objects.create(
            number="MO1", user_id=buyer.pk, merchant=merchant, status="refunded", total_fen=1000
        )
        OldHistory = old.get_model("merchants", "OrderHistory")
        steps = [
            ("", "pending_payment"),
            ("pending_payment", "paid"),
            ("paid", "accepted"),
            ("accepted", "ready"),
            ("ready", "completed"),
            ("completed", "completed"),
            ("completed", "refunded"),
        ]
        rows = [OldHistory.objects.create(order=order, from_status=f, to_status=t, note=f"{f}>{t}") for f, t in steps]
        application = old.get_model("merchants", "MerchantApplication").objects.create(
            applicant_id=buyer.pk,
            community_id=community.pk,
            name="老周鲜果",
            category="fruit_veg",
            licence_number="x",
            contact_name="周",
            contact_phone="1",
            status="approved",
            reviewed_by_id=reviewer.pk,
            merchant=merchant,
        )
    finally:
        new = migrate(AFTER)

    history = new.get_model("merchants", "OrderHistory").objects.filter(order_id=order.pk).order_by("id")
    assert list(history.values_list("id", "action", "note")) == [
        (rows[0].pk, "place", ">pending_payment"),
        (rows[1].pk, "pay", "pending_payment>paid"),
        (rows[2].pk, "accept", "paid>accepted"),
        (rows[3].pk, "ready", "accepted>ready"),
        (rows[4].pk, "pick_up", "ready>completed"),
        (rows[5].pk, "partial_refund", "completed>completed"),
        (rows[6].pk, "refund", "completed>refunded"),
    ]
    steps = new.get_model("merchants", "MerchantApplicationHistory").objects.filter(application_id=application.pk)
    assert list(steps.values_list("action", "from_status", "to_status", "actor_id")) == [
        ("submit", "", "pending", buyer.pk),
        ("approve", "pending", "approved", reviewer.pk),
    ]

    # The image migrations that follow run over the same rows: the order keeps its history.
    latest = to_latest()
    assert latest.get_model("merchants", "OrderHistory").objects.filter(order_id=order.pk).count() == len(rows)
