"""The staff API: create, edit, publish, cancel, roster (JSON and CSV), feedback — scoped to my communities."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Registration, VenueBooking
from linli.accounts.models import Role
from linli.notifications.models import Notification
from tests import factories
from tests.events.factories import make_event, make_venue, make_verified, register

URL = "/api/v1/staff/events/"
pytestmark = pytest.mark.django_db


def payload(**kw):
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    return {
        "title": "幸福学堂·插花活动",
        "description": "春日花篮",
        "category": "culture",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1, minutes=30)).isoformat(),
        "capacity": 20,
        **kw,
    }


@pytest.fixture
def desk(as_user, staff):
    return as_user(staff)


def test_it_creates_a_draft_that_holds_its_venue(desk, community, venue):
    response = desk.post(URL, payload(venue=venue.pk, points_reward=10), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["community"]["id"], body["remaining"], body["seats_taken"]) == (
        "draft",
        community.pk,
        20,
        0,
    )
    assert [c["id"] for c in body["communities"]] == [community.pk]
    booking = VenueBooking.objects.get(venue=venue)
    assert booking.session.event_id == body["id"]


def test_it_creates_a_weekly_course(desk, venue):
    body = desk.post(URL, payload(venue=venue.pk, sessions_count=6, category="class"), format="json").json()
    assert len(body["sessions"]) == 6
    assert VenueBooking.objects.filter(venue=venue, status="active").count() == 6
    first, last = body["sessions"][0], body["sessions"][-1]
    assert body["final_ends_at"] == last["ends_at"]
    assert first["starts_at"] == body["starts_at"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": (timezone.now() + timedelta(days=4)).isoformat()}, "ends_at"),
        ({"age_min": 60, "age_max": 12}, "age_max"),
        ({"capacity": 0}, "capacity"),
        ({"sessions_count": 60}, "sessions_count"),
        ({"starts_at": (timezone.now() - timedelta(days=1)).isoformat()}, "starts_at"),
        ({"registration_closes_at": (timezone.now() + timedelta(days=30)).isoformat()}, "registration_closes_at"),
    ],
)
def test_it_validates_the_event(desk, change, field):
    data = payload(**change)
    if field == "starts_at":
        data["ends_at"] = (timezone.now() - timedelta(hours=20)).isoformat()
    response = desk.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_it_refuses_a_venue_of_another_community(desk, other_community):
    response = desk.post(URL, payload(venue=make_venue(other_community).pk), format="json")
    assert response.status_code == 400
    assert "venue" in response.json()["fields"]


def test_it_refuses_more_seats_than_the_venue_holds(desk, community):
    response = desk.post(URL, payload(venue=make_venue(community, capacity=10).pk, capacity=11), format="json")
    assert "capacity" in response.json()["fields"]


def test_it_refuses_a_community_i_do_not_staff(desk, other_community):
    response = desk.post(URL, payload(community=other_community.pk), format="json")
    assert response.status_code == 400
    assert "community" in response.json()["fields"]


def test_staff_of_two_communities_must_name_the_organiser(as_user, staff, other_community):
    factories.grant(staff, Role.COMMUNITY_STAFF, community=other_community)
    response = as_user(staff).post(URL, payload(), format="json")
    assert "community" in response.json()["fields"]
    response = as_user(staff).post(URL, payload(community=other_community.pk), format="json")
    assert response.status_code == 201


def test_a_clash_with_the_venue_is_slot_taken(desk, community, venue):
    make_event(community, venue=venue, starts_at=timezone.now() + timedelta(days=5, minutes=30))
    response = desk.post(URL, payload(venue=venue.pk), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert Event.objects.count() == 1


def test_it_lists_only_my_communities_events(desk, community, other_community):
    make_event(community, title="斗潭", publish=False)
    make_event(other_community, title="白云")
    assert [e["title"] for e in desk.get(URL).json()["results"]] == ["斗潭"]
    assert [e["title"] for e in desk.get(URL, {"status": "published"}).json()["results"]] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("patch", ""), ("post", "publish/"), ("post", "cancel/"), ("get", "registrations/")],
)
def test_another_communitys_event_is_not_found(desk, other_community, method, path):
    event = make_event(other_community, publish=False)
    response = getattr(desk, method)(f"{URL}{event.pk}/{path}", {"reason": "x"}, format="json")
    assert response.status_code == 404


def test_residents_may_not_use_the_staff_api(as_user, verified):
    assert as_user(verified).get(URL).status_code == 403


def test_publishing_shows_it_to_residents(as_user, desk, community, verified):
    event = make_event(community, publish=False)
    assert as_user(verified).get("/api/v1/events/").json()["count"] == 0
    response = desk.post(f"{URL}{event.pk}/publish/")
    assert response.json()["status"] == "published"
    assert as_user(verified).get("/api/v1/events/").json()["count"] == 1
    again = desk.post(f"{URL}{event.pk}/publish/")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_capacity_cannot_drop_below_the_seats_taken(desk, community):
    event = make_event(community, capacity=5, max_attendees_per_registration=3)
    register(event, make_verified(community), attendees=3)
    response = desk.patch(f"{URL}{event.pk}/", {"capacity": 2}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "capacity_below_taken"


def test_moving_an_event_rebooks_the_venue_and_tells_the_registrants(desk, community, venue):
    event = make_event(community, venue=venue)
    resident = make_verified(community)
    register(event, resident)
    new_start = (timezone.now() + timedelta(days=9)).replace(microsecond=0)
    response = desk.patch(
        f"{URL}{event.pk}/",
        {"starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    booking = VenueBooking.objects.get(venue=venue, status="active")
    assert booking.starts_at == new_start
    assert Notification.objects.filter(recipient=resident, kind="events.changed").exists()


def test_a_title_change_tells_nobody(desk, community, venue):
    event = make_event(community, venue=venue)
    register(event, make_verified(community))
    desk.patch(f"{URL}{event.pk}/", {"title": "新标题"}, format="json")
    assert not Notification.objects.filter(kind="events.changed").exists()
    assert VenueBooking.objects.filter(venue=venue, status="active").count() == 1


def test_cancelling_tells_every_registrant_and_frees_the_venue(as_user, desk, community, venue):
    event = make_event(community, venue=venue, capacity=1)
    confirmed = register(event, make_verified(community))
    waiting = register(event, make_verified(community))

    response = desk.post(f"{URL}{event.pk}/cancel/", {"reason": "台风预警"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "台风预警")
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    told = Notification.objects.filter(kind="events.cancelled")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([confirmed.user_id, waiting.user_id])
    assert "台风预警" in told.first().body
    assert not VenueBooking.objects.filter(venue=venue, status="active").exists()
    mine = as_user(confirmed.user).get(f"/api/v1/events/registrations/{confirmed.pk}/").json()
    assert mine["status"] == "cancelled"
    assert mine["history"][-1]["note"] == "活动取消：台风预警"


def test_a_cancelled_event_cannot_be_cancelled_again(desk, community):
    event = make_event(community)
    desk.post(f"{URL}{event.pk}/cancel/", {"reason": "改期"}, format="json")
    response = desk.post(f"{URL}{event.pk}/cancel/", {"reason": "改期"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_the_roster_masks_phone_numbers_on_screen(desk, community, verified):
    event = make_event(community)
    register(event, verified)
    rows = desk.get(f"{URL}{event.pk}/registrations/").json()["results"]
    assert [(r["name"], r["phone"], r["status"]) for r in rows] == [("李阿姨", "138****5678", "confirmed")]


def test_the_roster_filters_by_status(desk, community, verified):
    event = make_event(community, capacity=1)
    register(event, verified)
    register(event, make_verified(community))
    rows = desk.get(f"{URL}{event.pk}/registrations/", {"status": "waitlisted"}).json()["results"]
    assert len(rows) == 1


def test_the_csv_roster_has_full_phone_numbers_for_calling(desk, community, verified):
    event = make_event(community)
    register(event, verified)
    register(event, make_verified(community, display_name="=HYPERLINK(1)"))
    response = desk.get(f"{URL}{event.pk}/registrations/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["报名编号", "姓名", "手机号", "人数", "状态", "报名时间", "签到时间"]
    assert rows[1][1:5] == ["李阿姨", "13812345678", "1", "报名成功"]
    assert rows[2][1] == "'=HYPERLINK(1)"  # no formula injection into Excel


def test_the_csv_roster_of_another_community_is_a_json_404(as_user, other_staff, community):
    event = make_event(community)
    response = as_user(other_staff).get(f"{URL}{event.pk}/registrations/", {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_staff_see_the_average_rating_and_comments(as_user, desk, community):
    event = make_event(community, points_reward=0)
    from events import services

    for rating, comment in [(5, "老师很耐心"), (4, "")]:
        resident = make_verified(community)
        registration = register(event, resident)
        services.registration_check_in(event=event, ticket=registration.ticket, staff=None)
        services.feedback_create(event=event, user=resident, rating=rating, comment=comment)

    detail = desk.get(f"{URL}{event.pk}/").json()
    assert (detail["feedback_count"], detail["feedback_average"], detail["attended"]) == (2, 4.5, 2)
    comments = desk.get(f"{URL}{event.pk}/feedback/").json()["results"]
    assert {(c["rating"], c["comment"]) for c in comments} == {(5, "老师很耐心"), (4, "")}
