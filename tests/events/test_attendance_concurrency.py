"""PostgreSQL, real threads: ten desks scanning one volunteer at once check them in once and out once,
and the hours earn points once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events import services
from events.models import Event, SessionAttendance
from linli.points.models import EarningRule, PointsAccount
from tests.events.factories import make_event, make_verified, register
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 6, 9, 0, tzinfo=TZ)


def test_simultaneous_scans_check_a_volunteer_in_once_and_out_once(community):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)
    with time_machine.travel(START - timedelta(days=1), tick=False) as clock:
        activity = make_event(
            community,
            title="防汛志愿巡查",
            category=Event.Category.VOLUNTEER,
            starts_at=START,
            ends_at=START + timedelta(hours=3),
            planned_hours=2,
        )
        registration = register(activity, make_verified(community))

        def scan(direction):
            return lambda i: (
                services.registration_check_in(
                    event=activity, ticket=registration.ticket, staff=None, direction=direction
                ).scan.outcome
            )

        clock.move_to(START)
        ins = race_n(10, scan("in"))
        clock.move_to(START + timedelta(hours=2, minutes=10))
        outs = race_n(10, scan("out"))

    assert not errors(ins) and not errors(outs), errors(ins) + errors(outs)
    assert sorted(ins) == ["already_checked_in"] * 9 + ["checked_in"]
    assert sorted(outs) == ["already_checked_out"] * 9 + ["checked_out"]
    [attendance] = SessionAttendance.objects.all()
    assert (attendance.status, attendance.hours) == ("checked_out", 2)
    assert PointsAccount.objects.get(user=registration.user).balance == 20
