"""The reference client and the simulator against the app over real HTTP (pytest-django's live_server)."""

import json

import pytest
from django.core.management import CommandError, call_command

from linli.devices.client import DeviceApiError, DeviceClient
from linli.devices.models import Device, DeviceCommand, DeviceEvent
from linli.devices.registry import on_command_ack, on_event
from linli.devices.services import device_command_create
from tests.devices.factories import make_device

pytestmark = pytest.mark.django_db(transaction=True)

seen: list[str] = []


@on_event("test.live_door_closed", kinds=[Device.Kind.UNMANNED_CABINET])
def door_closed(device, event):
    seen.append(f"event:{event.event_id}")


@on_command_ack("test.live_open_door")
def door_opened(command):
    seen.append(f"ack:{command.pk}:{command.status}")


@pytest.fixture(autouse=True)
def _reset():
    seen.clear()


@pytest.fixture
def cabinet(community):
    return make_device(community, kind=Device.Kind.UNMANNED_CABINET, code="cabinet-doutan-01")


def test_a_device_runs_its_whole_loop_through_the_reference_client(live_server, cabinet):
    device, secret = cabinet
    client = DeviceClient(live_server.url, device.code, secret)
    command = device_command_create(device=device, kind="test.live_open_door", payload={"session": 7})

    beat = client.heartbeat(firmware_version="1.0.4", battery_pct=96)
    assert beat["status"] == "online"
    assert beat["pending_commands"] == 1

    [pending] = client.commands()["results"]
    assert pending == {**pending, "id": command.pk, "kind": "test.live_open_door", "payload": {"session": 7}}

    assert client.ack(command.pk, "done", {"opened": True})["status"] == "done"
    assert client.ack(command.pk, "done", {"opened": True})["status"] == "done"  # a retry after a timeout
    assert client.commands()["results"] == []

    receipt = client.event("test.live_door_closed", {"session": 7}, event_id="door-closed-7")
    assert receipt["status"] == "accepted"
    assert client.event("test.live_door_closed", {"session": 7}, event_id="door-closed-7")["status"] == "duplicate"

    assert seen == [f"ack:{command.pk}:done", "event:door-closed-7"]
    device.refresh_from_db()
    assert device.firmware_version == "1.0.4"
    assert DeviceCommand.objects.get().status == "done"
    assert DeviceEvent.objects.count() == 1


def test_a_body_tampered_with_in_transit_is_refused(live_server, cabinet):
    device, secret = cabinet
    client = DeviceClient(live_server.url, device.code, secret)
    prepared = client.prepare("POST", "/api/v1/devices/heartbeat/", json_body={"battery_pct": 90})
    prepared.body = b'{"battery_pct": 10}'  # same length, other content

    response = client.send(prepared)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"


def test_a_captured_request_cannot_be_replayed(live_server, cabinet):
    device, secret = cabinet
    client = DeviceClient(live_server.url, device.code, secret)
    prepared = client.prepare("POST", "/api/v1/devices/heartbeat/", json_body={})

    assert client.send(prepared).status_code == 200
    replayed = client.send(prepared)

    assert replayed.status_code == 401
    assert replayed.json()["code"] == "replayed_nonce"


def test_a_device_with_a_wrong_clock_is_told_so(live_server, cabinet):
    device, secret = cabinet
    client = DeviceClient(live_server.url, device.code, secret, clock=lambda: 1_000_000_000)

    with pytest.raises(DeviceApiError) as refused:
        client.heartbeat()

    assert refused.value.status_code == 401
    assert refused.value.code == "stale_timestamp"


def test_the_simulator_speaks_for_a_device(live_server, cabinet, capsys):
    device, secret = cabinet
    command = device_command_create(device=device, kind="test.live_open_door")
    base = ["--device", device.code, f"--secret={secret}", "--base-url", live_server.url]

    call_command("device_simulator", *base, "heartbeat", "--battery", "80")
    assert json.loads(capsys.readouterr().out)["status"] == "online"

    call_command("device_simulator", *base, "commands")
    assert [c["id"] for c in json.loads(capsys.readouterr().out)["results"]] == [command.pk]

    call_command("device_simulator", *base, "ack", str(command.pk), "failed", '{"reason": "door jammed"}')
    assert json.loads(capsys.readouterr().out)["result"] == {"reason": "door jammed"}

    call_command("device_simulator", *base, "event", "test.live_door_closed", '{"session": 1}', "--event-id", "d-1")
    assert json.loads(capsys.readouterr().out)["status"] == "accepted"

    assert seen == [f"ack:{command.pk}:failed", "event:d-1"]


def test_the_simulator_fails_loudly_on_a_refusal(live_server, cabinet):
    device, _ = cabinet

    with pytest.raises(CommandError, match="401 invalid_signature"):
        call_command(
            "device_simulator", "--device", device.code, "--secret", "wrong", "--base-url", live_server.url, "heartbeat"
        )


def test_the_secret_command_issues_a_working_secret(live_server, cabinet, capsys):
    device, old = cabinet

    call_command("device_secret", device.code)
    new = capsys.readouterr().out.strip()

    assert new != old
    assert DeviceClient(live_server.url, device.code, new).heartbeat()["status"] == "online"


def test_the_simulator_reads_the_stored_secret_on_the_server_itself(live_server, cabinet, capsys, monkeypatch):
    device, _ = cabinet
    monkeypatch.delenv("DEVICE_SECRET", raising=False)

    call_command("device_simulator", "--device", device.code, "--base-url", live_server.url, "heartbeat")

    assert json.loads(capsys.readouterr().out)["status"] == "online"


def test_the_simulator_says_when_it_has_no_secret_for_a_device(live_server, db):
    with pytest.raises(CommandError, match="no device 'nope' with a secret"):
        call_command("device_simulator", "--device", "nope", "--base-url", live_server.url, "heartbeat")


def test_the_simulator_acks_the_oldest_pending_command_as_next(live_server, cabinet, capsys):
    device, secret = cabinet
    first = device_command_create(device=device, kind="test.live_open_door")
    device_command_create(device=device, kind="test.live_open_door")
    base = ["--device", device.code, f"--secret={secret}", "--base-url", live_server.url]

    call_command("device_simulator", *base, "ack", "next", "done")

    assert json.loads(capsys.readouterr().out)["id"] == first.pk
    assert seen == [f"ack:{first.pk}:done"]


def test_the_simulator_says_when_there_is_no_next_command(live_server, cabinet):
    device, secret = cabinet

    with pytest.raises(CommandError, match="has no pending command"):
        call_command(
            "device_simulator", "--device", device.code, f"--secret={secret}", "--base-url", live_server.url,
            "ack", "next", "done",
        )  # fmt: skip
