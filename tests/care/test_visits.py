"""Visits to elders living alone: the weekly roster, visits generated once, check-in/out like a care
order, and a visit not done by the end of its day escalated to the community staff once."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from care import checkin, services, tasks
from care.models import Visit
from linli.notifications.models import Notification
from tests import factories

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 2)
PLANS = "/api/v1/staff/care/visit-plans/"


@pytest.fixture
def volunteer(community):
    return factories.make_resident(display_name="志愿者王阿姨")


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def plan_wednesday(as_user, staff, elder, volunteer):
    return as_user(staff).post(PLANS, {"elder": elder.pk, "visitor": volunteer.pk, "weekday": 2}, format="json")


def test_staff_put_a_weekly_visit_on_the_roster_and_this_and_next_weeks_visits_appear(as_user, staff, elder, volunteer):
    with time_machine.travel(at(MONDAY, 9), tick=False):
        response = plan_wednesday(as_user, staff, elder, volunteer)
        assert response.status_code == 201, response.json()
        assert tasks.generate_visits() == 0  # already there: generating again adds nothing

    dates = list(Visit.objects.order_by("date").values_list("date", flat=True))
    assert dates == [date(2026, 11, 4), date(2026, 11, 11)]
    mine = as_user(volunteer).get("/api/v1/care/visits/").json()["results"]
    assert {v["date"] for v in mine} == {"2026-11-04", "2026-11-11"}


def test_staff_of_another_community_cannot_plan_visits_to_our_elders(as_user, other_staff, elder, volunteer):
    response = plan_wednesday(as_user, other_staff, elder, volunteer)

    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_a_visitor_checks_in_on_the_day_at_the_home_and_checks_out(as_user, staff, elder, volunteer):
    with time_machine.travel(at(MONDAY, 9), tick=False) as clock:
        plan_wednesday(as_user, staff, elder, volunteer)
        visit = Visit.objects.order_by("date").first()
        client = as_user(volunteer)
        near = {"latitude": "28.955800", "longitude": "118.868900"}

        too_early = client.post(f"/api/v1/care/visits/{visit.pk}/check-in/", near, format="json")
        assert (too_early.status_code, too_early.json()["code"]) == (409, "invalid_transition")

        clock.move_to(at(date(2026, 11, 4), 10))
        client = as_user(volunteer)  # a fresh token: the first one expired in two days
        far = client.post(
            f"/api/v1/care/visits/{visit.pk}/check-in/", {"latitude": "29.0", "longitude": "118.9"}, format="json"
        )
        assert far.json()["code"] == "check_in_too_far"
        code = {"door_code": checkin.door_code(visit.room_id)}
        assert client.post(f"/api/v1/care/visits/{visit.pk}/check-in/", code, format="json").status_code == 200
        done = client.post(
            f"/api/v1/care/visits/{visit.pk}/check-out/", {"notes": "老人精神很好，血压正常"}, format="json"
        )

    assert done.status_code == 200
    assert (done.json()["status"], done.json()["notes"]) == ("done", "老人精神很好，血压正常")


def test_a_missed_visit_escalates_to_the_community_staff_once(as_user, staff, other_staff, elder, volunteer):
    with time_machine.travel(at(MONDAY, 9), tick=False) as clock:
        plan_wednesday(as_user, staff, elder, volunteer)
        wednesday = Visit.objects.get(date=date(2026, 11, 4))

        clock.move_to(at(date(2026, 11, 4), 23))  # its day is not over yet
        assert tasks.escalate_missed_visits() == 0

        clock.move_to(at(date(2026, 11, 5), 0) + timedelta(minutes=30))
        assert tasks.escalate_missed_visits() == 1
        assert tasks.escalate_missed_visits() == 0
        clock.move_to(at(date(2026, 11, 6), 9))
        assert tasks.escalate_missed_visits() == 0

    wednesday.refresh_from_db()
    assert wednesday.status == Visit.Status.MISSED
    assert wednesday.escalated_at is not None
    told = Notification.objects.filter(kind="care.visit_missed")
    assert list(told.values_list("recipient_id", "data__visit")) == [(staff.pk, wednesday.pk)]
    missed = as_user(staff).get("/api/v1/staff/care/visits/", {"status": "missed"}).json()["results"]
    assert [v["id"] for v in missed] == [wednesday.pk]
    assert as_user(other_staff).get("/api/v1/staff/care/visits/").json()["results"] == []


def test_a_visit_done_on_its_day_is_not_escalated(staff, elder, volunteer):
    with time_machine.travel(at(date(2026, 11, 4), 9), tick=False) as clock:
        services.visit_plan_create(by=staff, elder=elder, visitor=volunteer, weekday=2)
        visit = Visit.objects.get(date=date(2026, 11, 4))
        services.visit_check_in(visit=visit, visitor=volunteer, door_code=checkin.door_code(visit.room_id))
        services.visit_check_out(visit=visit, visitor=volunteer, notes="一切正常")
        clock.move_to(at(date(2026, 11, 5), 9))
        assert tasks.escalate_missed_visits() == 0

    assert not Notification.objects.filter(kind="care.visit_missed").exists()


def test_ending_a_plan_drops_its_visits_still_to_come(as_user, staff, elder, volunteer):
    with time_machine.travel(at(MONDAY, 9), tick=False):
        plan = plan_wednesday(as_user, staff, elder, volunteer).json()
        response = as_user(staff).post(f"{PLANS}{plan['id']}/end/")

    assert response.json()["is_active"] is False
    assert not Visit.objects.exists()
