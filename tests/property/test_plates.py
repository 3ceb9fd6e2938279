"""The plate camera at an estate's gate: permit holders and visitors' cars in their window open the barrier."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.devices.models import Device, DeviceCommand, DeviceEvent
from property.models import GateEntry, PlateRead, VisitorPass
from tests.property.gate_factories import expire, make_gate, make_host, make_pass, make_permit
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/devices/events/"
PLATES = "/api/v1/staff/property/plate-reads/"


@pytest.fixture
def host(community):
    return make_host(community)


@pytest.fixture
def camera(host):
    _user, room = host
    return make_gate(room.building.estate, kind=Device.Kind.PLATE_CAMERA)


def read_plate(client, plate, event_id="read-1"):
    body = {
        "event_id": event_id,
        "type": "plate.read",
        "occurred_at": timezone.now().isoformat(),
        "payload": {"plate": plate},
    }
    return client.post(EVENTS, body, format="json")


def barrier_commands(device):
    return list(DeviceCommand.objects.filter(device=device, kind="open_barrier"))


def test_a_permit_holders_car_opens_the_barrier(host, camera):
    _user, room = host
    device, client = camera
    permit = make_permit(room, "浙H12345")

    response = read_plate(client, "浙h 12345")

    assert response.status_code == 201, response.content
    read = PlateRead.objects.get()
    assert (read.result, read.reason, read.permit, read.plate) == ("open", "permit", permit, "浙H12345")
    [command] = barrier_commands(device)
    assert command.payload == {"plate_read": read.pk, "plate": "浙H12345"} and command.expires_at is not None


def test_a_visitors_car_inside_the_window_opens_and_uses_an_entry(host, camera):
    user, room = host
    device, client = camera
    visitor_pass = make_pass(user, room, entries=1, plate="浙H88888")

    first = read_plate(client, "浙H88888", "read-1")
    second = read_plate(client, "浙H88888", "read-2")

    assert first.status_code == second.status_code == 201
    opened, logged = PlateRead.objects.order_by("id")
    assert (opened.result, opened.reason) == ("open", "visitor_pass")
    assert opened.entry.visitor_pass == visitor_pass and opened.entry.method == GateEntry.Method.PLATE
    assert (logged.result, logged.reason) == ("logged", "pass_refused")  # its one entry is used
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 1
    assert len(barrier_commands(device)) == 1


def test_a_visitors_car_outside_the_window_is_only_logged(host, camera):
    user, room = host
    device, client = camera
    expire(make_pass(user, room, plate="浙H66666"))
    make_pass(user, room, plate="浙H77777", starts_in=timedelta(days=1))

    read_plate(client, "浙H66666", "read-1")
    read_plate(client, "浙H77777", "read-2")

    assert list(PlateRead.objects.values_list("result", flat=True)) == ["logged", "logged"]
    assert not barrier_commands(device) and not GateEntry.objects.exists()


def test_an_unknown_plate_is_logged_for_staff(as_user, staff, camera):
    device, client = camera

    read_plate(client, "浙A00001")

    read = PlateRead.objects.get()
    assert (read.result, read.reason) == ("logged", "no_match") and not barrier_commands(device)
    rows = as_user(staff).get(PLATES, {"result": "logged"}).json()["results"]
    assert [(r["plate"], r["reason"]) for r in rows] == [("浙A00001", "no_match")]


def test_a_permit_of_another_community_does_not_open(other_community, camera):
    _other_user, other_room = make_host(other_community)
    make_permit(other_room, "浙H12345")
    device, client = camera

    read_plate(client, "浙H12345")

    assert PlateRead.objects.get().result == "logged" and not barrier_commands(device)


def test_a_repeated_event_is_not_decided_twice(host, camera):
    user, room = host
    _device, client = camera
    make_pass(user, room, entries=3, plate="浙H88888")

    read_plate(client, "浙H88888", "same")
    again = read_plate(client, "浙H88888", "same")

    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert PlateRead.objects.count() == 1 and VisitorPass.objects.get().entries_used == 1


def test_a_gate_cannot_post_plate_reads(host):
    _user, room = host
    _device, gate = make_gate(room.building.estate)

    response = read_plate(gate, "浙H12345")

    assert response.status_code == 400 and response.json()["code"] == "event_type_not_allowed"
    assert not DeviceEvent.objects.exists()


def test_staff_filter_plate_reads_by_day_and_plate(as_user, staff, camera, other_staff):
    _device, client = camera
    read_plate(client, "浙A00001", "a")
    read_plate(client, "浙B00002", "b")
    today = timezone.localdate()
    staff_client = as_user(staff)

    assert staff_client.get(PLATES, {"plate": "浙b"}).json()["count"] == 1
    assert staff_client.get(PLATES, {"date_from": today.isoformat()}).json()["count"] == 2
    assert staff_client.get(PLATES, {"date_to": (today - timedelta(days=1)).isoformat()}).json()["count"] == 0
    read_id = PlateRead.objects.first().pk
    assert as_user(other_staff).get(f"{PLATES}{read_id}/").status_code == 404
    assert as_user(other_staff).get(PLATES).json()["count"] == 0


def test_a_camera_without_an_estate_stores_nothing(community):
    from tests.devices.factories import client_for_device, make_device

    device, secret = make_device(rf.make_room(community).building.estate.community, kind=Device.Kind.PLATE_CAMERA)

    response = read_plate(client_for_device(device, secret), "浙H12345")

    assert response.status_code == 409 and response.json()["code"] == "gate_not_configured"
    assert not DeviceEvent.objects.exists()
