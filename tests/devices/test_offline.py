"""The beat job that notices silent devices: one alert per outage, to the right people, whatever runs twice."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.models import Role
from linli.celery import app as celery_app
from linli.devices.models import Device, DeviceOutage
from linli.devices.services import device_disable, device_heartbeat
from linli.devices.tasks import mark_offline_devices
from linli.notifications.models import Notification
from tests import factories
from tests.devices.factories import make_device

pytestmark = pytest.mark.django_db

HEARTBEAT = "/api/v1/devices/heartbeat/"


def alerts(user=None):
    qs = Notification.objects.filter(kind="devices.offline")
    return qs.filter(recipient=user) if user else qs


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


def test_it_alerts_the_community_staff_exactly_once_when_a_device_goes_silent(
    device_api, kiosk, staff, other_staff, start
):
    device, _ = kiosk
    with time_machine.travel(start, tick=False):
        device_api.post(HEARTBEAT, {}, format="json")
    with time_machine.travel(start + timedelta(seconds=179), tick=False):
        assert mark_offline_devices() == 0  # two missed beats: still online
    with time_machine.travel(start + timedelta(seconds=181), tick=False):
        assert mark_offline_devices() == 1
        assert mark_offline_devices() == 0  # the job runs again: nothing new
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert mark_offline_devices() == 0  # still silent hours later: same outage

    device.refresh_from_db()
    assert device.status == Device.Status.OFFLINE
    [alert] = alerts()
    assert alert.recipient == staff
    assert device.name in alert.title
    assert alert.data == {"device": device.code, "outage": DeviceOutage.objects.get().pk}
    assert not alerts(other_staff).exists()
    outage = DeviceOutage.objects.get()
    assert outage.last_seen_at == start
    assert outage.notified_count == 1


def test_it_treats_a_silence_after_recovery_as_a_new_outage(device_api, staff, start):
    with time_machine.travel(start, tick=False):
        device_api.post(HEARTBEAT, {}, format="json")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        mark_offline_devices()
        device_api.post(HEARTBEAT, {}, format="json")  # back
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        mark_offline_devices()
        mark_offline_devices()

    assert alerts(staff).count() == 2
    assert DeviceOutage.objects.count() == 2
    assert DeviceOutage.objects.filter(ended_at__isnull=True).count() == 1


def test_it_does_not_alert_about_a_device_that_keeps_beating(device_api, staff, start):
    for minute in range(6):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            device_api.post(HEARTBEAT, {}, format="json")
            mark_offline_devices()

    assert not alerts().exists()


def test_it_leaves_disabled_devices_and_never_seen_offline_ones_alone(community, staff, start):
    with time_machine.travel(start, tick=False):
        disabled, _ = make_device(community)
        device_heartbeat(device=disabled)
        device_disable(device=disabled)
        make_device(community)  # registered, never switched on: offline from the start
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert mark_offline_devices() == 0

    assert not alerts().exists()


def test_it_counts_silence_from_registration_for_a_device_marked_online_without_a_heartbeat(community, staff, start):
    with time_machine.travel(start, tick=False):
        device, _ = make_device(community)
        Device.objects.filter(pk=device.pk).update(status=Device.Status.ONLINE)
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert mark_offline_devices() == 1

    assert alerts(staff).count() == 1


def test_it_waits_longer_for_kinds_with_longer_intervals(community, staff, start, settings):
    settings.DEVICE_HEARTBEAT_INTERVAL_SECONDS = {"iot_sensor": 600}
    with time_machine.travel(start, tick=False):
        sensor, _ = make_device(community, kind=Device.Kind.IOT_SENSOR)
        device_heartbeat(device=sensor)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert mark_offline_devices() == 0
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert mark_offline_devices() == 1


def test_it_alerts_the_street_for_a_device_placed_in_a_township(start):
    township = factories.make_street(name="陶堰街道", kind="township")
    grid = factories.make_user()
    factories.grant(grid, Role.GRID_WORKER, street=township)
    elsewhere = factories.make_user()
    factories.grant(elsewhere, Role.GRID_WORKER, street=factories.make_street())
    with time_machine.travel(start, tick=False):
        camera, _ = make_device(kind=Device.Kind.AI_CAMERA, street=township, location="鉴湖湿地 3 号桩")
        device_heartbeat(device=camera)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        mark_offline_devices()

    [alert] = alerts()
    assert alert.recipient == grid
    assert "鉴湖湿地 3 号桩" in alert.body


def test_it_records_the_outage_even_when_nobody_can_be_alerted(start):
    with time_machine.travel(start, tick=False):
        device, _ = make_device(factories.make_community())
        device_heartbeat(device=device)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert mark_offline_devices() == 1

    assert DeviceOutage.objects.get().notified_count == 0


def test_it_registers_the_job_with_beat():
    job = celery_app.conf.beat_schedule["devices.mark_offline"]
    assert job["task"] == "linli.devices.tasks.mark_offline_devices"
    assert job["schedule"] == 60.0
    assert "linli.devices.tasks.mark_offline_devices" in celery_app.tasks
