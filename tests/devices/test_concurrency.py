"""Real concurrency (PostgreSQL): two beat runs at once, two identical acks and events at once."""

from datetime import timedelta

import pytest
import time_machine
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
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

calls: list[int] = []


@on_command_ack("test.concurrent")
def _acked(command):
    calls.append(command.pk)


@on_event("test.concurrent_event")
def _evented(device, event):
    calls.append(event.pk)


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

    failures = errors(race_n(3, lambda _: devices_mark_offline(now=later)))

    assert failures == []
    assert DeviceOutage.objects.count() == 3
    assert Notification.objects.filter(kind="devices.offline", recipient=staff).count() == 3


def test_it_runs_the_ack_handler_once_when_the_same_ack_races(community):
    device, _ = make_device(community)
    command = device_command_create(device=device, kind="test.concurrent")

    failures = errors(race_n(3, lambda _: device_command_ack(device=device, command_id=command.pk, status="done")))

    assert failures == []
    assert calls == [command.pk]
    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.DONE


def test_it_handles_an_event_once_when_it_is_posted_twice_at_once():
    device, _ = make_device(factories.make_community())
    at = timezone.now()

    def post():
        device_event_receive(device=device, event_id="e-1", type="test.concurrent_event", occurred_at=at, payload={})

    failures = errors(race_n(3, lambda _: post()))

    assert failures == []
    assert DeviceEvent.objects.filter(device=device).count() == 1
    assert len(calls) == 1
