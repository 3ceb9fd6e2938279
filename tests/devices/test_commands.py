from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.devices.models import DeviceCommand
from linli.devices.registry import on_command_ack
from linli.devices.services import device_command_create, device_commands_expire
from tests.devices.factories import client_for_device, make_device

pytestmark = pytest.mark.django_db

COMMANDS = "/api/v1/devices/commands/"
acked: list[tuple[int, str]] = []


@on_command_ack("test.dispense")
def record_ack(command):
    acked.append((command.pk, command.status))
    if (command.result or {}).get("explode"):
        raise RuntimeError("the handler failed")


@pytest.fixture(autouse=True)
def _reset_acked():
    acked.clear()


def ack_url(command):
    return f"{COMMANDS}{command.pk}/ack/"


def test_it_lists_only_this_devices_pending_commands_oldest_first(device_api, kiosk, community):
    device, _ = kiosk
    other, _ = make_device(community)
    first = device_command_create(device=device, kind="test.dispense", payload={"weight_g": 1000})
    second = device_command_create(device=device, kind="test.dispense", payload={"weight_g": 2500})
    DeviceCommand.objects.create(device=device, kind="test.dispense", status=DeviceCommand.Status.DONE)
    device_command_create(device=other, kind="test.dispense")
    device_command_create(device=device, kind="test.dispense", expires_in=-1)  # already expired

    body = device_api.get(COMMANDS).json()

    assert body["count"] == 2
    assert [c["id"] for c in body["results"]] == [first.pk, second.pk]
    assert body["results"][0]["payload"] == {"weight_g": 1000}
    assert body["results"][0]["expires_at"]


def test_it_runs_the_ack_handlers_once_and_replays_a_repeated_ack(device_api, kiosk):
    command = device_command_create(device=kiosk[0], kind="test.dispense")

    first = device_api.post(ack_url(command), {"status": "done", "result": {"dispensed_g": 1000}}, format="json")
    again = device_api.post(ack_url(command), {"status": "done", "result": {"dispensed_g": 1000}}, format="json")

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "done"
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert acked == [(command.pk, "done")]
    command.refresh_from_db()
    assert command.result == {"dispensed_g": 1000}
    assert command.acked_at is not None
    assert device_api.get(COMMANDS).json()["count"] == 0


def test_it_refuses_a_conflicting_ack(device_api, kiosk):
    command = device_command_create(device=kiosk[0], kind="test.dispense")
    device_api.post(ack_url(command), {"status": "done"}, format="json")

    response = device_api.post(ack_url(command), {"status": "failed"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "command_already_acked"
    assert acked == [(command.pk, "done")]


def test_it_hides_another_devices_command(device_api, community):
    other, _ = make_device(community)
    command = device_command_create(device=other, kind="test.dispense")

    response = device_api.post(ack_url(command), {"status": "done"}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.PENDING


def test_it_rolls_the_ack_back_when_a_handler_fails(kiosk):
    device, secret = kiosk
    client = client_for_device(device, secret)
    client.raise_request_exception = False
    command = device_command_create(device=device, kind="test.dispense")

    response = client.post(ack_url(command), {"status": "done", "result": {"explode": True}}, format="json")

    assert response.status_code == 500
    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.PENDING  # the device's retry gets another chance


def test_it_validates_the_ack(device_api, kiosk):
    command = device_command_create(device=kiosk[0], kind="test.dispense")

    response = device_api.post(ack_url(command), {"status": "expired", "result": []}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "result"}


def test_it_expires_unacknowledged_commands_and_tells_the_handlers(device_api, kiosk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        command = device_command_create(device=kiosk[0], kind="test.dispense", expires_in=600)
        keeps = device_command_create(device=kiosk[0], kind="test.dispense", expires_in=None)
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        assert device_commands_expire() == 1
        assert device_commands_expire() == 0  # a second run finds nothing to do
        late_ack = device_api.post(ack_url(command), {"status": "done"}, format="json")

    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.EXPIRED
    assert acked == [(command.pk, "expired")]
    assert late_ack.status_code == 409
    assert late_ack.json()["code"] == "command_expired"
    keeps.refresh_from_db()
    assert keeps.status == DeviceCommand.Status.PENDING


def test_it_uses_the_configured_command_ttl(kiosk, settings):
    settings.DEVICE_COMMAND_TTL_SECONDS = 120

    command = device_command_create(device=kiosk[0], kind="test.dispense")

    assert command.expires_at - command.created_at == pytest.approx(timedelta(seconds=120), abs=timedelta(seconds=1))


def test_it_queues_a_command_once_per_dedupe_key(kiosk):
    first = device_command_create(device=kiosk[0], kind="test.dispense", dedupe_key="order:1:dispense")
    again = device_command_create(device=kiosk[0], kind="test.dispense", dedupe_key="order:1:dispense")

    assert first.pk == again.pk
    assert DeviceCommand.objects.count() == 1
