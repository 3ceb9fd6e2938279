"""The console widget 「紧急呼叫与响应时长」: open alarms, the period's alarms, the average time to
acknowledge and the outcomes, in a fixed number of queries; left out where there are no alarms."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from care.dashboard import alarms as alarms_widget
from care.services.alarms import alarm_acknowledge, alarm_close, alarm_raise
from linli.console.registry import Scope
from tests.care.factories_alarms import make_community_staff, make_sos_button

pytestmark = pytest.mark.django_db


def metrics(data) -> dict:
    return {m.key: m.value for m in data.metrics}


def test_it_counts_open_alarms_and_the_average_time_to_acknowledge(community, django_assert_num_queries):
    staff = make_community_staff(community)
    start = timezone.now() - timedelta(hours=3)
    with time_machine.travel(start, tick=False) as clock:
        answered, _ = alarm_raise(binding=make_sos_button(community)[0], kind="sos")
        clock.shift(timedelta(minutes=4))
        alarm_acknowledge(alarm=answered, actor=staff)
        alarm_close(alarm=answered, actor=staff, outcome="sent_to_hospital")
        quick, _ = alarm_raise(binding=make_sos_button(community)[0], kind="fall")
        clock.shift(timedelta(minutes=2))
        alarm_acknowledge(alarm=quick, actor=staff)
    alarm_raise(binding=make_sos_button(community)[0], kind="sos")

    with django_assert_num_queries(4):  # totals, average wait, per day, per outcome
        data = alarms_widget.compute(Scope([community.pk], timezone.localdate()))

    assert metrics(data) == {"open": 1, "responding": 1, "total": 3, "average_ack_minutes": 3.0}
    assert dict(data.breakdown)["送医"] == 1


def test_it_is_left_out_without_alarms(community):
    assert alarms_widget.compute(Scope([community.pk], timezone.localdate())) is None
