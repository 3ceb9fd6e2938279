"""The gate asks, over the signed device API, whether a visitor's code opens it."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from linli.devices.models import Device
from property.models import GateEntry, VisitorPass
from property.services import gate as services
from tests.devices.factories import client_for_device, make_device, signed_headers
from tests.property.gate_factories import expire, make_gate, make_host, make_pass
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/devices/gate/verify/"


@pytest.fixture
def host(community):
    return make_host(community)


@pytest.fixture
def gate(host):
    _user, room = host
    return make_gate(room.building.estate)


def verify(client, code, **extra):
    return client.post(VERIFY, {"code": code, **extra}, format="json")


def test_it_opens_for_a_valid_pass_and_logs_the_entry(host, gate):
    user, room = host
    device, client = gate
    visitor_pass = make_pass(user, room, entries=2)

    response = verify(client, visitor_pass.code)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["result"] == "allowed" and body["reason"] == "" and body["entries_left"] == 1
    entry = GateEntry.objects.get(pk=body["entry"])
    assert (entry.visitor_pass, entry.device, entry.method, entry.result) == (visitor_pass, device, "code", "allowed")
    assert entry.visitor_name == "王小明" and entry.room == room


def test_it_refuses_a_pass_beyond_its_entries(host, gate):
    user, room = host
    _device, client = gate
    visitor_pass = make_pass(user, room, entries=2)

    results = [verify(client, visitor_pass.code).json() for _ in range(3)]

    assert [r["result"] for r in results] == ["allowed", "allowed", "refused"]
    assert results[2]["reason"] == "used_up" and results[2]["message"] == "通行次数已用完"
    visitor_pass.refresh_from_db()
    assert visitor_pass.entries_used == 2
    assert list(
        GateEntry.objects.filter(visitor_pass=visitor_pass).values_list("result", flat=True).order_by("id")
    ) == [
        "allowed",
        "allowed",
        "refused",
    ]


def test_it_refuses_a_pass_after_its_window(host, gate):
    user, room = host
    visitor_pass = expire(make_pass(user, room))

    body = verify(gate[1], visitor_pass.code).json()

    assert (body["result"], body["reason"]) == ("refused", "expired")
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 0


def test_it_refuses_a_pass_before_its_window(host, gate):
    user, room = host
    visitor_pass = make_pass(user, room, starts_in=timedelta(days=1))

    body = verify(gate[1], visitor_pass.code).json()

    assert (body["result"], body["reason"]) == ("refused", "not_yet_valid")


def test_it_refuses_a_revoked_pass(host, gate):
    user, room = host
    visitor_pass = make_pass(user, room, entries=5)
    assert verify(gate[1], visitor_pass.code).json()["result"] == "allowed"
    services.visitor_pass_revoke(visitor_pass=visitor_pass, by=user)

    body = verify(gate[1], visitor_pass.code).json()

    assert (body["result"], body["reason"]) == ("refused", "revoked")


def test_it_refuses_a_pass_of_another_estate(community, host):
    user, room = host
    other_estate_room = rf.make_room(community, estate_name="别的小区")
    _device, client = make_gate(other_estate_room.building.estate)
    visitor_pass = make_pass(user, room)

    body = verify(client, visitor_pass.code).json()

    assert (body["result"], body["reason"]) == ("refused", "wrong_estate")
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 0


def test_it_refuses_an_unknown_code_and_logs_it_without_a_pass(gate):
    device, client = gate

    body = verify(client, "not-a-real-code").json()

    assert (body["result"], body["reason"], body["entries_left"]) == ("refused", "unknown", None)
    entry = GateEntry.objects.get(pk=body["entry"])
    assert entry.visitor_pass is None and entry.device == device


def test_a_retry_with_the_same_request_id_gets_the_first_answer_without_taking_another_entry(host, gate):
    user, room = host
    visitor_pass = make_pass(user, room, entries=2)

    first = verify(gate[1], visitor_pass.code, request_id="scan-1").json()
    again = verify(gate[1], visitor_pass.code, request_id="scan-1").json()

    assert first["entry"] == again["entry"] and again["replayed"] is True and again["result"] == "allowed"
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 1


def test_a_forged_request_is_refused_by_the_gateway_and_opens_nothing(host, gate):
    user, room = host
    device, _client = gate
    visitor_pass = make_pass(user, room)
    forger = client_for_device(device, "not-the-secret")

    response = verify(forger, visitor_pass.code)

    assert response.status_code == 401 and response.json()["code"] == "invalid_signature"
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 0
    assert not GateEntry.objects.exists()


def test_a_body_changed_after_signing_is_refused(host, gate):
    user, room = host
    device, client = gate
    visitor_pass = make_pass(user, room)
    headers = signed_headers(device.code, client.secret, "POST", VERIFY, json.dumps({"code": "x"}).encode())

    response = APIClient().generic(
        "POST", VERIFY, json.dumps({"code": visitor_pass.code}), content_type="application/json", **headers
    )

    assert response.status_code == 401 and response.json()["code"] == "invalid_signature"
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 0


def test_a_replayed_request_is_refused_by_the_gateway(host, gate):
    user, room = host
    _device, client = gate
    visitor_pass = make_pass(user, room, entries=5)
    client.sign_as = {"nonce": "replayed-nonce-0001"}

    first = verify(client, visitor_pass.code)
    replay = verify(client, visitor_pass.code)

    assert first.status_code == 200 and first.json()["result"] == "allowed"
    assert replay.status_code == 401 and replay.json()["code"] == "replayed_nonce"
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 1
    assert GateEntry.objects.count() == 1


def test_it_refuses_a_device_that_is_not_a_gate(community, host):
    user, room = host
    device, secret = make_device(community, kind=Device.Kind.HEALTH_KIOSK)
    visitor_pass = make_pass(user, room)

    response = verify(client_for_device(device, secret), visitor_pass.code)

    assert response.status_code == 403 and response.json()["code"] == "device_kind_not_allowed"
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 0


def test_a_gate_bound_to_no_estate_is_a_conflict(community, host):
    user, room = host
    device, secret = make_device(community, kind=Device.Kind.GATE)

    response = verify(client_for_device(device, secret), make_pass(user, room).code)

    assert response.status_code == 409 and response.json()["code"] == "gate_not_configured"


def test_it_is_not_reachable_with_a_user_token(as_user, host):
    user, room = host

    response = as_user(user).post(VERIFY, {"code": make_pass(user, room).code}, format="json")

    assert response.status_code in (401, 403)


def test_a_pass_stops_opening_when_its_host_leaves_the_household(host, gate):
    user, room = host
    visitor_pass = make_pass(user, room, entries=3)
    assert verify(gate[1], visitor_pass.code).json()["result"] == "allowed"
    user.memberships.filter(role="resident", scope_id=room.pk).delete()

    body = verify(gate[1], visitor_pass.code).json()

    assert (body["result"], body["reason"]) == ("refused", "revoked")
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 1
