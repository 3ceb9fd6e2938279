"""Beat jobs: reminders 24 h and 2 h before each session (once each), events that end by themselves."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events import services, tasks
from events.models import Event, Registration
from linli.celery import app
from linli.notifications.models import Notification
from tests.events.factories import make_event, make_staff, make_verified, register

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=TZ)
START = datetime(2026, 5, 6, 14, 30, tzinfo=TZ)  # two days later


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def event(clock, community):
    return make_event(community, title="插花活动", starts_at=START, ends_at=START + timedelta(hours=1), capacity=1)


def reminders(kind=None):
    rows = Notification.objects.filter(kind="events.reminder")
    return rows.filter(dedupe_key__contains=f"-{kind}-") if kind else rows


def test_the_beat_jobs_are_registered():
    schedule = app.conf.beat_schedule
    assert schedule["events.send_reminders"]["task"] == "events.tasks.send_reminders"
    assert schedule["events.finish_ended_events"]["task"] == "events.tasks.finish_ended_events"


def test_confirmed_registrants_are_reminded_a_day_and_two_hours_before(clock, event, community):
    confirmed = register(event, make_verified(community))
    register(event, make_verified(community))  # waitlisted: no seat, no reminder

    assert tasks.send_reminders() == 0  # two days ahead: nothing due
    clock.move_to(START - timedelta(hours=23))
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0  # sent once
    [day_before] = reminders("24h")
    assert day_before.recipient_id == confirmed.user_id
    assert "明天" in day_before.body

    clock.move_to(START - timedelta(hours=1, minutes=55))
    assert tasks.send_reminders() == 1
    tasks.send_reminders()
    assert reminders("2h").count() == 1
    assert reminders().count() == 2


def test_someone_who_registers_late_gets_only_the_two_hour_reminder(clock, event, community):
    clock.move_to(START - timedelta(hours=1))
    register(event, make_verified(community))
    tasks.send_reminders()
    assert [n.dedupe_key.split("-")[2] for n in reminders()] == ["2h"]


def test_a_cancelled_event_reminds_nobody(clock, event, community):
    register(event, make_verified(community))
    services.event_cancel(event=event, actor=None, reason="改期")
    clock.move_to(START - timedelta(hours=3))
    assert tasks.send_reminders() == 0


def test_each_session_of_a_course_is_reminded(clock, community):
    course = make_event(community, starts_at=START, ends_at=START + timedelta(hours=1), sessions_count=3)
    register(course, make_verified(community))
    for week in range(3):
        clock.move_to(START + timedelta(days=7 * week, hours=-20))
        tasks.send_reminders()
    assert reminders("24h").count() == 3
    assert "第 3/3 次课" in reminders("24h").order_by("id").last().body


def test_an_event_finishes_by_itself_and_records_the_no_shows(clock, event, community, as_user):
    came = register(event, make_verified(community))
    Event.objects.filter(pk=event.pk).update(capacity=2)
    stayed_home = register(event, make_verified(community))
    clock.move_to(START + timedelta(minutes=10))
    services.registration_check_in(event=event, ticket=came.ticket, staff=make_staff(community))

    assert tasks.finish_ended_events() == 0  # still running
    clock.move_to(START + timedelta(hours=1, minutes=1))
    assert tasks.finish_ended_events() == 1
    assert tasks.finish_ended_events() == 0

    event.refresh_from_db()
    assert event.status == "finished"
    assert Registration.objects.get(pk=came.pk).status == "attended"
    no_show = Registration.objects.get(pk=stayed_home.pk)
    assert no_show.status == "no_show"
    assert no_show.history.last().note == "活动结束时未签到"
    detail = as_user(stayed_home.user).get(f"/api/v1/events/registrations/{stayed_home.pk}/").json()
    assert detail["status"] == "no_show"


def test_a_course_finishes_after_its_last_session(clock, community):
    course = make_event(community, starts_at=START, ends_at=START + timedelta(hours=1), sessions_count=2)
    clock.move_to(START + timedelta(days=1))
    assert tasks.finish_ended_events() == 0
    clock.move_to(START + timedelta(days=7, hours=2))
    assert tasks.finish_ended_events() == 1
    course.refresh_from_db()
    assert course.status == "finished"
