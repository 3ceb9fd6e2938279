"""Real concurrency (PostgreSQL): presses at the same moment make one alarm; escalation jobs at the same
moment page each level once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from care.models import Alarm
from care.services.alarms import alarm_escalate, alarm_raise
from linli.devices.services import device_event_receive
from linli.notifications.models import Notification
from tests.care.factories_alarms import make_community_staff, make_sos_button
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_presses_at_the_same_moment_join_one_alarm(community):
    staff = make_community_staff(community)
    binding, _ = make_sos_button(community)
    device = binding.device

    results = race_n(
        8,
        lambda i: device_event_receive(
            device=device, event_id=f"press-{i}", type="sos", occurred_at=timezone.now(), payload={}
        ),
    )

    assert errors(results) == []
    alarm = Alarm.objects.get()
    assert alarm.press_count == 8
    assert Notification.objects.filter(recipient=staff, kind="care.alarm").count() == 1
    assert alarm.history.filter(action="press").count() == 7


def test_two_escalation_jobs_at_once_page_the_level_once(community, settings):
    settings.CARE_ALARM_ESCALATE_MINUTES = 5
    staff = make_community_staff(community)
    binding, _ = make_sos_button(community)
    alarm, _ = alarm_raise(binding=binding, kind="sos")
    later = timezone.now() + timedelta(minutes=6)

    with time_machine.travel(later, tick=False):
        results = race_n(6, lambda i: alarm_escalate(alarm_id=alarm.pk))

    assert errors(results) == []
    assert results.count(True) == 1
    alarm.refresh_from_db()
    assert alarm.escalation_level == 1
    levels = Notification.objects.filter(recipient=staff, kind="care.alarm").values_list("data__level", flat=True)
    assert sorted(levels) == [0, 1]
