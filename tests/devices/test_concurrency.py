"""Real concurrency (PostgreSQL): two beat runs at once, two identical acks and events at once."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from linli.devices.models import DeviceCommand, DeviceEvent, DeviceOutage
from linli.devices.registry import on_command_ack, on_event
from linli.devices.services import (
    device_command_ack,
    device_command_create,
    device_event_receive,
    device_heartbeat,
    devices_mark_offline,
)
from linli.notifications.models import Notification
from tests import factories
from tests.devices.factories import make_device

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

calls: list[int] = []


@on_command_ack("test.concurrent")
def _acked(command):
    calls.append(command.pk)


@on_event("test.concurrent_event")
def _evented(device, event):
    calls.append(event.pk)


def run_together(fn, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def worker():
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_it_alerts_once_when_two_beat_runs_race(staff, community):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        devices = [make_device(community)[0] for _ in range(3)]
        for device in devices:
            device_heartbeat(device=device)
    later = start + timedelta(minutes=10)

    errors = run_together(lambda: devices_mark_offline(now=later), n=3)

    assert errors == []
    assert DeviceOutage.objects.count() == 3
    assert Notification.objects.filter(kind="devices.offline", recipient=staff).count() == 3


def test_it_runs_the_ack_handler_once_when_the_same_ack_races(community):
    device, _ = make_device(community)
    command = device_command_create(device=device, kind="test.concurrent")

    errors = run_together(lambda: device_command_ack(device=device, command_id=command.pk, status="done"), n=3)

    assert errors == []
    assert calls == [command.pk]
    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.DONE


def test_it_handles_an_event_once_when_it_is_posted_twice_at_once():
    device, _ = make_device(factories.make_community())
    at = timezone.now()

    def post():
        device_event_receive(device=device, event_id="e-1", type="test.concurrent_event", occurred_at=at, payload={})

    errors = run_together(post, n=3)

    assert errors == []
    assert DeviceEvent.objects.filter(device=device).count() == 1
    assert len(calls) == 1
