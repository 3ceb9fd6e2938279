"""一键呼叫 end to end: a signed `sos` event opens an alarm that pages staff and providers at once, is
escalated every N minutes until someone acknowledges, joins repeated presses, and is answered through
the staff API (someone else's alarm is 404)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from care.models import Alarm
from care.services.alarms import alarm_raise, alarms_escalate
from linli.devices.models import Device, DeviceEvent
from linli.notifications.models import Notification
from tests.care.factories import make_provider
from tests.care.factories_alarms import make_community_staff, make_provider_worker, make_sos_button
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/devices/events/"
STAFF = "/api/v1/staff/care/alarms/"


def press(client, event_id="press-1", type="sos"):
    body = {"event_id": event_id, "type": type, "occurred_at": timezone.now().isoformat(), "payload": {}}
    return client.post(EVENTS, body, format="json")


def pages(user) -> list[int]:
    """The escalation levels `user` was paged at."""
    return sorted(n.data["level"] for n in Notification.objects.filter(recipient=user, kind="care.alarm"))


@pytest.fixture
def world(community):
    staff = make_community_staff(community)
    provider = make_provider(community)
    worker = make_provider_worker(provider)
    binding, device = make_sos_button(community)
    return staff, worker, binding, device


def test_an_sos_press_opens_an_alarm_and_pages_staff_and_the_provider_at_once(world):
    staff, worker, binding, device = world

    response = press(device)

    assert response.status_code == 201, response.content
    alarm = Alarm.objects.get()
    assert (alarm.elder, alarm.status, alarm.kind, alarm.press_count) == (binding.elder, "open", "sos", 1)
    assert pages(staff) == [0]
    assert pages(worker) == [0]
    assert pages(binding.elder) == []  # the elder pressed it: they are not paged


def test_a_fall_detector_raises_a_fall_alarm(community):
    staff = make_community_staff(community)
    _, detector = make_sos_button(community, kind=Device.Kind.FALL_DETECTOR)

    assert press(detector, type="fall").status_code == 201

    assert Alarm.objects.get().kind == "fall"
    assert pages(staff) == [0]


def test_a_button_cannot_post_a_fall(world):
    *_, device = world

    response = press(device, type="fall")

    assert response.status_code == 400
    assert response.json()["code"] == "event_type_not_allowed"


def test_escalation_pages_again_every_n_minutes_until_someone_acknowledges(world, settings):
    settings.CARE_ALARM_ESCALATE_MINUTES = 5
    staff, worker, binding, device = world
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        press(device)
        clock.shift(timedelta(minutes=4))
        assert alarms_escalate() == 0  # not due yet

        clock.shift(timedelta(minutes=1))
        assert alarms_escalate() == 1
        assert alarms_escalate() == 0  # the job ran twice: level 1 is paged once
        assert pages(staff) == [0, 1]

        clock.shift(timedelta(minutes=5))
        assert alarms_escalate() == 1
        assert pages(worker) == [0, 1, 2]

        response = client_for(worker).post(f"{STAFF}{binding.alarms.get().pk}/acknowledge/", {}, format="json")
        assert response.status_code == 200, response.content

        clock.shift(timedelta(minutes=30))
        assert alarms_escalate() == 0  # acknowledged: nobody is paged any more

    alarm = Alarm.objects.get()
    assert (alarm.status, alarm.escalation_level, alarm.acknowledged_by) == ("acknowledged", 2, worker)
    assert alarm.acknowledged_at - alarm.raised_at == timedelta(minutes=10)
    assert pages(staff) == [0, 1, 2]
    assert [h.action for h in alarm.history.all()] == ["raise", "escalate", "escalate", "acknowledge"]


def test_repeated_presses_join_the_open_alarm_and_a_press_after_closing_opens_a_new_one(world):
    staff, _, _, device = world
    press(device, "p1")
    press(device, "p2")
    press(device, "p3")
    press(device, "p3")  # the device resending one press is not another press

    alarm = Alarm.objects.get()
    assert alarm.press_count == 3
    assert pages(staff) == [0]  # one page per level, not per press

    api = client_for(staff)
    assert api.post(f"{STAFF}{alarm.pk}/arrive/", {"note": "已上门"}, format="json").status_code == 200
    press(device, "p4")  # pressed again while help is there: same episode
    closed = api.post(f"{STAFF}{alarm.pk}/close/", {"outcome": "handled_at_home"}, format="json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["press_count"] == 4

    press(device, "p5")
    assert Alarm.objects.count() == 2
    assert Alarm.objects.filter(status="open").get().press_count == 1


def test_an_unbound_button_is_refused_and_nothing_is_stored(world):
    _, _, binding, device = world
    binding.is_active = False
    binding.save()

    response = press(device)

    assert response.status_code == 409
    assert response.json()["code"] == "device_not_bound"
    assert not Alarm.objects.exists()
    assert not DeviceEvent.objects.exists()  # the device may post again once it is bound


def test_the_staff_list_shows_open_alarms_first(community, world):
    staff, *_ = world
    closed_binding, _ = make_sos_button(community)
    old, _ = alarm_raise(binding=closed_binding, kind="sos", at=timezone.now() - timedelta(hours=1))
    Alarm.objects.filter(pk=old.pk).update(status="closed", outcome="false_alarm")
    acked_binding, _ = make_sos_button(community)
    acked, _ = alarm_raise(binding=acked_binding, kind="sos")
    Alarm.objects.filter(pk=acked.pk).update(status="acknowledged")
    open_binding, _ = make_sos_button(community)
    opened, _ = alarm_raise(binding=open_binding, kind="sos", at=timezone.now() - timedelta(hours=2))

    rows = client_for(staff).get(STAFF).json()["results"]

    assert [r["id"] for r in rows] == [opened.pk, acked.pk, old.pk]


def test_acknowledging_twice_is_an_invalid_transition(world):
    staff, _, _, device = world
    press(device)
    alarm = Alarm.objects.get()
    api = client_for(staff)

    assert api.post(f"{STAFF}{alarm.pk}/acknowledge/", {}, format="json").status_code == 200
    second = api.post(f"{STAFF}{alarm.pk}/acknowledge/", {}, format="json")

    assert second.status_code == 409
    assert second.json()["code"] == "invalid_transition"


def test_closing_needs_an_outcome(world):
    staff, _, _, device = world
    press(device)

    response = client_for(staff).post(f"{STAFF}{Alarm.objects.get().pk}/close/", {}, format="json")

    assert response.status_code == 400
    assert "outcome" in response.json()["fields"]


def test_another_communitys_staff_and_an_unrelated_provider_get_404(world, other_community):
    *_, device = world
    press(device)
    alarm = Alarm.objects.get()
    outsider = make_community_staff(other_community)
    elsewhere = make_provider_worker(make_provider(other_community))

    for user in (outsider, elsewhere):
        api = client_for(user)
        assert api.get(f"{STAFF}{alarm.pk}/").status_code == 404
        assert api.post(f"{STAFF}{alarm.pk}/acknowledge/", {}, format="json").status_code == 404
        assert api.get(STAFF).json()["count"] == 0
    assert Alarm.objects.get().status == "open"


def test_the_elder_sees_their_alarm_and_another_resident_does_not(world, resident):
    _, _, binding, device = world
    press(device)
    alarm = Alarm.objects.get()

    mine = client_for(binding.elder).get(f"/api/v1/care/alarms/{alarm.pk}/")
    theirs = client_for(resident).get(f"/api/v1/care/alarms/{alarm.pk}/")

    assert mine.status_code == 200
    assert [h["action"] for h in mine.json()["history"]] == ["raise"]
    assert theirs.status_code == 404
