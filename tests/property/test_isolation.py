"""Isolation matrix: property staff see only their community's (or their estate's) bills, receipts and
vehicles — anything else is 404; residents see only their households'."""

import pytest

from property.services import bills as services
from tests import factories
from tests.property import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community, other_community):
    """Two estates in 斗潭, one in 白云, a bill, a receipt and a vehicle in each."""
    here_a = pf.make_estate(community, name="斗潭小区")
    here_b = pf.make_estate(community, name="斗潭新村")
    there = pf.make_estate(other_community, name="春江月小区")
    objects = {}
    for estate in (here_a, here_b, there):
        room = pf.make_room(estate)
        owner = pf.make_household(room)
        bills = pf.make_bills(room, n=2)
        receipt = services.bills_record_offline(bills=bills[:1], actor=None, method="cash", payer_name="住户")
        vehicle = pf.make_vehicle(room, owner, confirm=False)
        objects[estate.name] = {"owner": owner, "bill": bills[1], "receipt": receipt, "vehicle": vehicle}
    return {"here_a": here_a, "here_b": here_b, "there": there, "objects": objects}


def _viewers(world, community, other_community):
    return {
        "manager": pf.make_manager(community),
        "estate_manager": pf.make_manager(community, estate=world["here_a"]),
        "community_staff": factories.grant(
            factories.make_user(is_staff=True), "community_staff", community=community
        ).user,
        "other_manager": pf.make_manager(other_community),
        "outsider": factories.make_resident(),
    }


# viewer → estates whose objects it sees on the staff API
STAFF_SEES = {
    "manager": {"斗潭小区", "斗潭新村"},
    "estate_manager": {"斗潭小区"},
    "community_staff": {"斗潭小区", "斗潭新村"},
    "other_manager": {"春江月小区"},
}
ENDPOINTS = {
    "bill": "/api/v1/staff/property/bills/",
    "receipt": "/api/v1/staff/property/receipts/",
    "vehicle": "/api/v1/staff/property/vehicles/",
}


@pytest.mark.parametrize("viewer", sorted(STAFF_SEES))
@pytest.mark.parametrize("kind", sorted(ENDPOINTS))
def test_staff_see_their_scope_and_get_404_elsewhere(world, community, other_community, as_user, viewer, kind):
    client = as_user(_viewers(world, community, other_community)[viewer])
    url = ENDPOINTS[kind]

    listed = {row["id"] for row in client.get(url).json()["results"]}

    for estate, objects in world["objects"].items():
        pk = objects[kind].pk
        visible = estate in STAFF_SEES[viewer]
        assert (pk in listed) == visible, (viewer, kind, estate)
        assert client.get(f"{url}{pk}/").status_code == (200 if visible else 404), (viewer, kind, estate)


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("waive", {"reason": "减免"}),
        ("adjust", {"amount_fen": 100, "reason": "调整"}),
        ("refund", {"amount_fen": 100, "reason": "退款"}),
    ],
)
def test_staff_cannot_act_on_another_estates_bills(world, community, other_community, as_user, action, body):
    client = as_user(_viewers(world, community, other_community)["estate_manager"])
    bill = world["objects"]["斗潭新村"]["bill"]

    assert client.post(f"/api/v1/staff/property/bills/{bill.pk}/{action}/", body, format="json").status_code == 404


def test_staff_cannot_record_payments_of_other_communities_bills(world, community, other_community, as_user):
    client = as_user(_viewers(world, community, other_community)["manager"])
    theirs = world["objects"]["春江月小区"]["bill"]

    response = client.post(
        "/api/v1/staff/property/offline-payments/",
        {"bills": [theirs.pk], "method": "cash", "payer_name": "x"},
        format="json",
    )

    assert response.status_code == 404


def test_staff_cannot_confirm_other_communities_vehicles(world, community, other_community, as_user):
    client = as_user(_viewers(world, community, other_community)["manager"])
    theirs = world["objects"]["春江月小区"]["vehicle"]

    assert client.post(f"/api/v1/staff/property/vehicles/{theirs.pk}/confirm/").status_code == 404


def test_staff_cannot_run_bills_of_another_estate(world, community, other_community, as_user):
    client = as_user(_viewers(world, community, other_community)["estate_manager"])

    response = client.post(
        "/api/v1/staff/property/bill-runs/", {"period": "2026-11", "estate": world["here_b"].pk}, format="json"
    )

    assert response.status_code == 404


def test_residents_and_outsiders_are_refused_the_staff_api(world, community, other_community, as_user):
    for user in (world["objects"]["斗潭小区"]["owner"], _viewers(world, community, other_community)["outsider"]):
        assert as_user(user).get("/api/v1/staff/property/bills/").status_code == 403


@pytest.mark.parametrize("kind", ["bills", "receipts", "vehicles"])
def test_residents_see_only_their_households(world, as_user, kind):
    key = {"bills": "bill", "receipts": "receipt", "vehicles": "vehicle"}[kind]
    mine = world["objects"]["斗潭小区"]
    client = as_user(mine["owner"])

    listed = {row["id"] for row in client.get(f"/api/v1/property/{kind}/").json()["results"]}

    assert mine[key].pk in listed
    for estate, objects in world["objects"].items():
        if estate != "斗潭小区":
            assert objects[key].pk not in listed
            assert client.get(f"/api/v1/property/{kind}/{objects[key].pk}/").status_code == 404
