"""志愿服务: check-in and check-out per session, hours credited (capped, rounded down to the half hour),
staff closing and adjusting (audited), points by the rule volunteer_hour, the volunteer's profile."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events.models import Event, HoursAdjustment
from linli.points.models import EarningRule, PointsAccount
from tests.events.factories import make_event, make_staff, make_verified, register

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 28, 9, 0, tzinfo=TZ)
START = datetime(2026, 12, 30, 9, 0, tzinfo=TZ)  # a 3-hour session, 2 hours planned


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def rule(db):
    return EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)


@pytest.fixture
def activity(clock, community):
    return make_event(
        community,
        title="河道清洁志愿服务",
        category=Event.Category.VOLUNTEER,
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        planned_hours=2,
    )


@pytest.fixture
def desk(community):
    return make_staff(community)


def scan(client, event, ticket, way="in", nonce=None):
    body = {"ticket": ticket, **({"nonce": nonce} if nonce else {})}
    return client.post(f"/api/v1/staff/events/{event.pk}/check-{way}/", body, format="json")


def balance(user):
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def test_hours_are_check_out_minus_check_in_rounded_down_to_the_half_hour_and_capped(
    as_user, clock, activity, desk, community
):
    early_leaver, stayer = (register(activity, make_verified(community)) for _ in range(2))
    clock.move_to(START - timedelta(minutes=10))
    for registration in (early_leaver, stayer):
        response = scan(as_user(desk), activity, registration.ticket)
        assert response.status_code == 200, response.content
        assert response.json()["session"]["index"] == 1
    assert scan(as_user(desk), activity, stayer.ticket).json()["result"] == "already_checked_in"

    clock.move_to(START + timedelta(hours=1, minutes=35))  # 1 h 45 min after checking in → 1.5 h
    body = scan(as_user(desk), activity, early_leaver.ticket, "out").json()
    assert (body["result"], body["attendance"]["hours"]) == ("checked_out", 1.5)
    clock.move_to(START + timedelta(hours=2, minutes=50))  # 3 h → capped at the 2 planned hours
    assert scan(as_user(desk), activity, stayer.ticket, "out").json()["attendance"]["hours"] == 2.0
    again = scan(as_user(desk), activity, stayer.ticket, "out")
    assert (again.status_code, again.json()["result"]) == (200, "already_checked_out")

    assert (balance(early_leaver.user), balance(stayer.user)) == (15, 20)


def test_it_refuses_a_check_out_without_check_in_and_outside_volunteering(as_user, clock, activity, desk, community):
    registration = register(activity, make_verified(community))
    clock.move_to(START)
    response = scan(as_user(desk), activity, registration.ticket, "out")
    assert (response.status_code, response.json()["code"]) == (409, "not_checked_in")
    talk = make_event(community, title="健康讲座", starts_in=timedelta(days=1))
    response = scan(as_user(desk), talk, register(talk, make_verified(community)).ticket, "out")
    assert (response.status_code, response.json()["code"]) == (409, "check_out_not_used")
    clock.move_to(START - timedelta(hours=2))  # before the session's check-in window (1 h before)
    response = scan(as_user(desk), activity, registration.ticket)
    assert (response.status_code, response.json()["code"]) == (409, "no_session_now")


def test_staff_close_a_session_nobody_checked_out_of_and_adjust_hours_with_an_audited_reason(
    as_user, clock, activity, desk, other_staff, community
):
    registration = register(activity, make_verified(community))
    clock.move_to(START + timedelta(hours=1, minutes=30))
    scan(as_user(desk), activity, registration.ticket)
    attendance_id = as_user(desk).get(f"/api/v1/staff/events/{activity.pk}/attendances/").json()["results"][0]["id"]
    url = f"/api/v1/staff/events/attendances/{attendance_id}"

    refused = as_user(desk).post(f"{url}/adjust/", {"hours": 1, "reason": "核对"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "attendance_open")
    clock.move_to(START + timedelta(hours=6))  # forgot to check out: closed up to the session's end (1.5 h)
    closed = as_user(desk).post(f"{url}/close/")
    assert (closed.status_code, closed.json()["status"], closed.json()["hours"]) == (200, "closed", 1.5)
    assert as_user(other_staff).post(f"{url}/adjust/", {"hours": 3, "reason": "x"}, format="json").status_code == 404

    no_reason = as_user(desk).post(f"{url}/adjust/", {"hours": 2, "reason": ""}, format="json")
    assert no_reason.status_code == 400
    assert (
        as_user(desk).post(f"{url}/adjust/", {"hours": 1.25, "reason": "半小时为单位"}, format="json").status_code
        == 400
    )
    up = as_user(desk).post(f"{url}/adjust/", {"hours": 2.5, "reason": "实际服务至 11:30，已核实"}, format="json")
    assert up.status_code == 200, up.content
    as_user(desk).post(f"{url}/adjust/", {"hours": 2, "reason": "重复登记，更正"}, format="json")

    adjustments = as_user(desk).get(f"{url}/").json()["adjustments"]
    assert [(a["hours_before"], a["hours_after"], a["reason"]) for a in adjustments] == [
        (2.5, 2.0, "重复登记，更正"),
        (1.5, 2.5, "实际服务至 11:30，已核实"),
    ]
    assert HoursAdjustment.objects.filter(adjusted_by=desk).count() == 2
    # 1.5 h at closing, +1 h adjusted up; the correction down does not take points back.
    assert balance(registration.user) == 25


def test_my_profile_sums_my_hours_by_year_and_prints_a_summary(as_user, client, clock, activity, desk, community):
    volunteer = make_verified(community, display_name="王志愿")
    first = register(activity, volunteer)
    new_year = datetime(2027, 1, 2, 9, 0, tzinfo=TZ)
    second_activity = make_event(
        community,
        title="敬老院陪伴",
        category=Event.Category.VOLUNTEER,
        starts_at=new_year,
        ends_at=new_year + timedelta(hours=1),
    )
    second = register(second_activity, volunteer)
    for event, registration, start, stay in [
        (activity, first, START, timedelta(hours=2)),
        (second_activity, second, new_year, timedelta(hours=1)),
    ]:
        clock.move_to(start)
        scan(as_user(desk), event, registration.ticket)
        clock.move_to(start + stay)
        scan(as_user(desk), event, registration.ticket, "out")

    profile = as_user(volunteer).get("/api/v1/volunteering/me/").json()
    assert (profile["total_hours"], profile["activities"], profile["sessions"]) == (3.0, 2, 2)
    assert [(y["year"], y["hours"]) for y in profile["by_year"]] == [(2027, 1.0), (2026, 2.0)]
    assert [a["title"] for a in profile["recent_activities"]] == ["敬老院陪伴", "河道清洁志愿服务"]
    hours = as_user(volunteer).get("/api/v1/volunteering/me/hours/?year=2026").json()["results"]
    assert [(h["event"]["title"], h["hours"]) for h in hours] == [("河道清洁志愿服务", 2.0)]
    assert as_user(make_verified(community)).get("/api/v1/volunteering/me/").json()["total_hours"] == 0

    page = client.get(profile["summary_url"])
    assert page.status_code == 200
    assert "王志愿" in page.content.decode() and "3.0" in page.content.decode()
    assert client.get(profile["summary_url"].rstrip("/") + "x/").status_code == 404
    clock.move_to(new_year + timedelta(days=2))  # the link lasts 24 hours
    assert client.get(profile["summary_url"]).status_code == 404
