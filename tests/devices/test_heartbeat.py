from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.devices.models import Device, DeviceOutage
from linli.devices.services import device_command_create, devices_mark_offline
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db

HEARTBEAT = "/api/v1/devices/heartbeat/"


def test_it_marks_the_device_online_and_keeps_its_telemetry(device_api, kiosk):
    device, _ = kiosk
    response = device_api.post(
        HEARTBEAT,
        {"firmware_version": "2.3.1", "battery_pct": 87, "signal_dbm": -70, "telemetry": {"temp_c": 31}},
        format="json",
    )

    assert response.status_code == 200, response.content
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE
    assert timezone.now() - device.last_heartbeat_at < timedelta(seconds=5)
    assert device.firmware_version == "2.3.1"
    assert device.telemetry == {"temp_c": 31, "battery_pct": 87, "signal_dbm": -70}


def test_it_tells_the_device_how_often_to_beat_and_whether_commands_wait(device_api, kiosk):
    device_command_create(device=kiosk[0], kind="health.kiosk_session", payload={})

    body = device_api.post(HEARTBEAT, {}, format="json").json()

    assert body["heartbeat_interval_seconds"] == 60
    assert body["pending_commands"] == 1
    assert body["status"] == "online"
    assert "server_time" in body


def test_it_keeps_the_last_telemetry_when_a_heartbeat_has_none(device_api, kiosk):
    device_api.post(HEARTBEAT, {"battery_pct": 50}, format="json")
    device_api.post(HEARTBEAT, {}, format="json")

    kiosk[0].refresh_from_db()
    assert kiosk[0].telemetry == {"battery_pct": 50}


def test_it_rejects_bad_telemetry(device_api):
    response = device_api.post(HEARTBEAT, {"battery_pct": 140, "telemetry": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"battery_pct", "telemetry"}


def test_it_ends_an_outage_and_tells_staff_the_device_is_back(device_api, staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device_api.post(HEARTBEAT, {}, format="json")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        [outage] = devices_mark_offline()
        device_api.post(HEARTBEAT, {}, format="json")

    outage.refresh_from_db()
    assert outage.ended_at == start + timedelta(minutes=10)
    assert not DeviceOutage.objects.filter(ended_at__isnull=True).exists()
    back = Notification.objects.get(recipient=staff, kind="devices.recovered")
    assert back.push_channels == []  # inbox only
