"""Residents invite visitors: a pass for one of their households' estates, listed, revoked, with its entries."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from property.models import VisitorPass
from property.services import gate as services
from tests import factories
from tests.property.gate_factories import make_gate, make_host, make_pass
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

PASSES = "/api/v1/property/visitor-passes/"
ENTRIES = "/api/v1/property/visitor-entries/"


def invite(client, room, **over):
    now = timezone.now()
    body = {
        "room": room.pk,
        "visitor_name": "王小明",
        "visitor_phone": "13800138000",
        "valid_from": now.isoformat(),
        "valid_until": (now + timedelta(hours=6)).isoformat(),
        "entries": 2,
        **over,
    }
    return client.post(PASSES, body, format="json")


def test_a_verified_resident_invites_a_visitor_and_gets_a_code(as_user, community):
    user, room = make_host(community)

    response = invite(as_user(user), room, plate="浙h·12345")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["estate"]["id"] == room.building.estate_id and body["room"]["id"] == room.pk
    assert body["state"] == "active" and body["entries_left"] == 2 and body["plate"] == "浙H12345"
    assert body["visitor_phone"] == "13800138000"  # the host sees it in full
    assert len(body["code"]) >= 20 and VisitorPass.objects.get(pk=body["id"]).code == body["code"]


def test_codes_are_not_repeated(community):
    user, room = make_host(community)

    codes = {make_pass(user, room).code for _ in range(5)}

    assert len(codes) == 5


def test_a_resident_without_a_household_cannot_invite(as_user, community):
    resident = factories.make_resident()
    room = rf.make_room(community)

    response = invite(as_user(resident), room)

    assert response.status_code == 403 and response.json()["code"] == "not_verified_resident"


def test_it_refuses_someone_elses_room(as_user, community):
    user, _room = make_host(community)
    _other, other_room = make_host(community)

    response = invite(as_user(user), other_room)

    assert response.status_code == 400 and "room" in response.json()["fields"]
    assert not VisitorPass.objects.exists()


@pytest.mark.parametrize(
    ("starts", "lasts", "field"),
    [
        (timedelta(hours=-2), timedelta(hours=6), "valid_from"),  # in the past
        (timedelta(days=8), timedelta(hours=6), "valid_from"),  # too far ahead
        (timedelta(0), timedelta(days=8), "valid_until"),  # too long
        (timedelta(hours=1), timedelta(hours=-2), "valid_until"),  # ends before it starts
    ],
)
def test_it_bounds_the_window(as_user, community, starts, lasts, field):
    user, room = make_host(community)
    now = timezone.now()

    response = invite(
        as_user(user), room, valid_from=(now + starts).isoformat(), valid_until=(now + starts + lasts).isoformat()
    )

    assert response.status_code == 400 and field in response.json()["fields"]


def test_it_bounds_the_entries(as_user, community):
    user, room = make_host(community)

    assert invite(as_user(user), room, entries=0).status_code == 400
    response = invite(as_user(user), room, entries=11)

    assert response.status_code == 400 and "entries" in response.json()["fields"]


@override_settings(PROPERTY_VISITOR_PASS_MAX_DAYS=30, PROPERTY_VISITOR_PASS_MAX_ENTRIES=50)
def test_the_bounds_are_configurable(as_user, community):
    user, room = make_host(community)
    now = timezone.now()

    response = invite(as_user(user), room, entries=40, valid_until=(now + timedelta(days=20)).isoformat())

    assert response.status_code == 201, response.content


@override_settings(PROPERTY_VISITOR_PASS_MAX_OPEN=2)
def test_it_limits_the_passes_one_resident_holds_open(as_user, community):
    user, room = make_host(community)
    client = as_user(user)
    assert invite(client, room).status_code == invite(client, room).status_code == 201

    response = invite(client, room)

    assert response.status_code == 409 and response.json()["code"] == "limit_reached"


def test_it_refuses_a_malformed_plate_or_phone(as_user, community):
    user, room = make_host(community)

    assert "plate" in invite(as_user(user), room, plate="ABC").json()["fields"]
    assert "visitor_phone" in invite(as_user(user), room, visitor_phone="12345").json()["fields"]


def test_the_list_masks_the_visitor_phone_and_hides_the_code(as_user, community):
    user, room = make_host(community)
    make_pass(user, room)

    row = as_user(user).get(PASSES).json()["results"][0]

    assert row["visitor_phone"] == "138****8000" and "code" not in row


def test_the_list_filters_open_passes(as_user, community):
    user, room = make_host(community)
    usable = make_pass(user, room)
    revoked = make_pass(user, room)
    services.visitor_pass_revoke(visitor_pass=revoked, by=user)
    client = as_user(user)

    assert [p["id"] for p in client.get(PASSES, {"open": "true"}).json()["results"]] == [usable.pk]
    assert [p["id"] for p in client.get(PASSES, {"open": "false"}).json()["results"]] == [revoked.pk]


def test_the_host_revokes_a_pass_once(as_user, community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room)
    client = as_user(user)

    response = client.post(f"{PASSES}{visitor_pass.pk}/revoke/")
    again = client.post(f"{PASSES}{visitor_pass.pk}/revoke/")

    assert response.status_code == 200 and response.json()["state"] == "revoked"
    assert again.status_code == 409 and again.json()["code"] == "pass_revoked"


def test_the_host_sees_their_visitors_entries(as_user, community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room, entries=1)
    _device, gate = make_gate(room.building.estate)
    gate.post("/api/v1/devices/gate/verify/", {"code": visitor_pass.code}, format="json")
    gate.post("/api/v1/devices/gate/verify/", {"code": visitor_pass.code}, format="json")

    rows = as_user(user).get(ENTRIES, {"visitor_pass": visitor_pass.pk}).json()["results"]

    assert [(r["result"], r["reason"]) for r in rows] == [("refused", "used_up"), ("allowed", "")]
    assert all(r["visitor_pass"] == visitor_pass.pk and r["method"] == "code" for r in rows)


def test_entries_filter_by_day(as_user, community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room)
    _device, gate = make_gate(room.building.estate)
    gate.post("/api/v1/devices/gate/verify/", {"code": visitor_pass.code}, format="json")
    today = timezone.localdate()
    client = as_user(user)

    assert client.get(ENTRIES, {"date_from": today.isoformat()}).json()["count"] == 1
    assert client.get(ENTRIES, {"date_to": (today - timedelta(days=1)).isoformat()}).json()["count"] == 0
