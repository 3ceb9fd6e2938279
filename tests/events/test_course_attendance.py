"""幸福学堂 courses: check-in per session (the clock moved week by week), the attendance rate, and the
completion decided once when the course ends (threshold per course), with its points."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events import services, tasks
from events.models import CourseCompletion, Event, SessionAttendance
from linli.points.models import EarningRule, PointsAccount
from tests.events.factories import make_event, make_staff, make_verified, register

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=TZ)
START = datetime(2026, 3, 3, 14, 30, tzinfo=TZ)  # 4 weekly sessions of 90 minutes
WEEK = timedelta(days=7)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def course(clock, community):
    EarningRule.objects.create(key="class_attended", points_per_unit=2)
    EarningRule.objects.create(key="class_completed", points_per_unit=50)
    return make_event(
        community,
        title="幸福学堂·智能手机课",
        category=Event.Category.CLASS,
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        sessions_count=4,
        completion_threshold=75,
        award_per_session=True,
    )


def scan(client, event, ticket):
    return client.post(f"/api/v1/staff/events/{event.pk}/check-in/", {"ticket": ticket}, format="json")


def balance(user):
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def test_students_check_in_once_per_session_and_complete_at_the_end_with_enough_attendance(
    as_user, clock, course, community
):
    desk = make_staff(community)
    always, three_of_four, once = (register(course, make_verified(community)) for _ in range(3))
    came = {1: [always, three_of_four, once], 2: [always, three_of_four], 3: [always], 4: [always, three_of_four]}
    for index, students in came.items():
        clock.move_to(START + WEEK * (index - 1) + timedelta(minutes=5))
        for registration in students:
            body = scan(as_user(desk), course, registration.ticket).json()
            assert (body["result"], body["session"]["index"]) == ("checked_in", index)
        again = scan(as_user(desk), course, always.ticket).json()
        assert (again["result"], again["already_checked_in"]) == ("already_checked_in", True)
        if index == 2:
            mine = as_user(once.user).get(f"/api/v1/events/registrations/{once.pk}/").json()["attendance"]
            assert (mine["sessions_attended"], mine["sessions_held"], mine["rate_so_far"]) == ([1], 2, 50)
            clock.move_to(START + WEEK + timedelta(days=3))  # between sessions: nothing to check in to
            response = scan(as_user(desk), course, always.ticket)
            assert (response.status_code, response.json()["code"]) == (409, "no_session_now")

    assert SessionAttendance.objects.filter(event=course).count() == 8
    clock.move_to(START + WEEK * 3 + timedelta(hours=3))  # the last session has ended: the beat finishes it
    assert tasks.finish_ended_events() == 1
    assert tasks.finish_ended_events() == 0
    assert services.course_complete(Event.objects.get(pk=course.pk)) == []  # a second run changes nothing

    completions = {c.registration_id: (c.sessions_attended, c.rate) for c in CourseCompletion.objects.all()}
    assert completions == {always.pk: (4, 100), three_of_four.pk: (3, 75)}
    mine = as_user(three_of_four.user).get(f"/api/v1/events/registrations/{three_of_four.pk}/").json()
    assert (mine["attendance"]["rate"], mine["attendance"]["completed_at"] is not None) == (75, True)
    # class_attended 2 per session, class_completed 50 once
    assert [balance(r.user) for r in (always, three_of_four, once)] == [4 * 2 + 50, 3 * 2 + 50, 2]


def test_an_ordinary_event_still_checks_in_once_per_registration(as_user, clock, community):
    talk = make_event(community, title="健康讲座", starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(talk, make_verified(community))
    desk = as_user(make_staff(community))
    body = scan(desk, talk, registration.ticket).json()  # two days early: no session window for these
    assert (body["result"], body["session"], body["attendance"]) == ("checked_in", None, None)
    assert not SessionAttendance.objects.exists()
