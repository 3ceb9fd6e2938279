"""Staff of a community: the entry log, walk-ins and passes of their estates — and nobody else's (matrix)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from property.models import GateEntry
from tests.property.gate_factories import make_gate, make_host, make_pass
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/staff/property/gate-entries/"
PASSES = "/api/v1/staff/property/visitor-passes/"
PLATES = "/api/v1/staff/property/plate-reads/"


@pytest.fixture
def world(community, other_community):
    """Resident A in community X (斗潭) and resident B in Y (白云), each with a pass used once at their gate."""
    world = {}
    for name, place in (("x", community), ("y", other_community)):
        user, room = make_host(place)
        visitor_pass = make_pass(user, room)
        _device, gate = make_gate(room.building.estate)
        entry_id = gate.post("/api/v1/devices/gate/verify/", {"code": visitor_pass.code}, format="json").json()["entry"]
        world[name] = {"user": user, "room": room, "pass": visitor_pass, "entry": entry_id}
    return world


def test_walk_in_is_registered_in_the_same_log(as_user, staff, community):
    room = rf.make_room(community)
    estate = room.building.estate

    response = as_user(staff).post(
        ENTRIES,
        {
            "estate": estate.pk,
            "visitor_name": "快递员",
            "visitor_phone": "13900001111",
            "room": room.pk,
            "note": "送件",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["method"] == "walk_in" and body["result"] == "allowed" and body["room"]["id"] == room.pk
    assert body["registered_by"]["id"] == staff.pk and body["visitor_phone"] == "139****1111"
    assert [e["id"] for e in as_user(staff).get(ENTRIES).json()["results"]] == [body["id"]]


def test_a_property_manager_registers_walk_ins_too(as_user, community):
    manager = rf.make_property_manager(community)
    estate = rf.make_room(community).building.estate

    response = as_user(manager).post(ENTRIES, {"estate": estate.pk, "visitor_name": "维修工"}, format="json")

    assert response.status_code == 201, response.content


def test_walk_in_refuses_another_communitys_estate_and_a_room_elsewhere(as_user, staff, community, other_community):
    elsewhere = rf.make_room(other_community).building.estate
    estate = rf.make_room(community).building.estate
    other_room = rf.make_room(community, estate_name="另一个小区")
    client = as_user(staff)

    first = client.post(ENTRIES, {"estate": elsewhere.pk, "visitor_name": "甲"}, format="json")
    second = client.post(ENTRIES, {"estate": estate.pk, "visitor_name": "乙", "room": other_room.pk}, format="json")

    assert first.status_code == 400 and "estate" in first.json()["fields"]
    assert second.status_code == 400 and "room" in second.json()["fields"]
    assert not GateEntry.objects.exists()


def test_a_resident_cannot_use_the_staff_api(as_user, world):
    assert as_user(world["x"]["user"]).get(ENTRIES).status_code == 403


@pytest.mark.parametrize("who", ["x", "y"])
def test_isolation_matrix_for_residents(as_user, world, who):
    me, them = world[who], world["y" if who == "x" else "x"]
    client = as_user(me["user"])

    assert client.get(f"/api/v1/property/visitor-passes/{me['pass'].pk}/").status_code == 200
    assert client.get(f"/api/v1/property/visitor-passes/{them['pass'].pk}/").status_code == 404
    assert client.post(f"/api/v1/property/visitor-passes/{them['pass'].pk}/revoke/").status_code == 404
    assert client.get(f"/api/v1/property/visitor-entries/{me['entry']}/").status_code == 200
    assert client.get(f"/api/v1/property/visitor-entries/{them['entry']}/").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/property/visitor-passes/").json()["results"]] == [me["pass"].pk]
    assert [e["id"] for e in client.get("/api/v1/property/visitor-entries/").json()["results"]] == [me["entry"]]


@pytest.mark.parametrize("who", ["staff", "other_staff"])
def test_isolation_matrix_for_staff(request, as_user, world, who):
    staff_user = request.getfixturevalue(who)
    mine, theirs = (world["x"], world["y"]) if who == "staff" else (world["y"], world["x"])
    client = as_user(staff_user)

    assert client.get(f"{PASSES}{mine['pass'].pk}/").status_code == 200
    assert client.get(f"{PASSES}{theirs['pass'].pk}/").status_code == 404
    assert client.get(f"{ENTRIES}{mine['entry']}/").status_code == 200
    assert client.get(f"{ENTRIES}{theirs['entry']}/").status_code == 404
    assert [p["id"] for p in client.get(PASSES).json()["results"]] == [mine["pass"].pk]
    assert [e["id"] for e in client.get(ENTRIES).json()["results"]] == [mine["entry"]]
    assert client.get(PLATES).json()["count"] == 0


def test_staff_never_see_a_pass_code(as_user, staff, world):
    row = as_user(staff).get(f"{PASSES}{world['x']['pass'].pk}/").json()

    assert "code" not in row and row["visitor_phone"] == "138****8000"


def test_the_entry_log_filters_by_result_method_and_day(as_user, staff, world):
    client = as_user(staff)
    today = timezone.localdate()

    assert client.get(ENTRIES, {"result": "refused"}).json()["count"] == 0
    assert client.get(ENTRIES, {"result": "allowed", "method": "code"}).json()["count"] == 1
    assert client.get(ENTRIES, {"date_from": today.isoformat(), "date_to": today.isoformat()}).json()["count"] == 1
    assert client.get(ENTRIES, {"date_to": (today - timedelta(days=1)).isoformat()}).json()["count"] == 0
    assert client.get(ENTRIES, {"search": "王小"}).json()["count"] == 1
