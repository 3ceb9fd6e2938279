"""Venues: opening hours, availability, bookings that never overlap, events that occupy their venue."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events.models import VenueBooking
from linli.accounts.models import Role
from tests import factories
from tests.events.factories import make_event, make_staff, make_venue, make_verified

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)  # "now" in these tests
TUESDAY = MONDAY.date() + timedelta(days=1)
OFFICE_HOURS = [(range(5), time(8, 30), time(11, 30)), (range(5), time(14, 0), time(17, 30))]


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def room(community):
    return make_venue(community, name="幸福学堂", hours=OFFICE_HOURS, capacity=30)


def at(hour, minute=0, day=TUESDAY):
    return datetime.combine(day, time(hour, minute), TZ)


def book(client, venue, start, end, purpose="书法小组练习"):
    return client.post(
        f"/api/v1/venues/{venue.pk}/bookings/",
        {"starts_at": start.isoformat(), "ends_at": end.isoformat(), "purpose": purpose},
        format="json",
    )


def test_it_lists_venues_with_opening_hours(as_user, verified, room, other_community):
    make_venue(other_community, name="博爱幸福驿站")
    response = as_user(verified).get("/api/v1/venues/", {"community": room.community_id})
    [row] = response.json()["results"]
    assert row["name"] == "幸福学堂"
    assert {(h["weekday"], h["opens_at"], h["closes_at"]) for h in row["opening_hours"]} >= {(0, "08:30", "11:30")}
    assert len(row["opening_hours"]) == 10


def test_a_resident_books_a_free_slot_inside_opening_hours(as_user, verified, room):
    response = book(as_user(verified), room, at(9), at(10, 30))
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["purpose"]) == ("active", "书法小组练习")
    mine = as_user(verified).get("/api/v1/venues/bookings/").json()["results"]
    assert [b["id"] for b in mine] == [response.json()["id"]]


def test_an_overlapping_booking_is_slot_taken(as_user, verified, room, community):
    book(as_user(verified), room, at(9), at(10, 30))
    response = book(as_user(make_verified(community)), room, at(10), at(11))
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"


def test_back_to_back_bookings_do_not_overlap(as_user, verified, room, community):
    book(as_user(verified), room, at(9), at(10))
    assert book(as_user(make_verified(community)), room, at(10), at(11)).status_code == 201


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(8), at(9)),  # opens at 08:30
        (at(11), at(12)),  # closes at 11:30
        (at(12), at(13)),  # lunch break
        (at(9, day=TUESDAY + timedelta(days=4)), at(10, day=TUESDAY + timedelta(days=4))),  # closed on Saturdays
    ],
)
def test_a_booking_outside_opening_hours_is_refused(as_user, verified, room, start, end):
    response = book(as_user(verified), room, start, end)
    assert response.status_code == 400
    assert response.json()["code"] == "outside_opening_hours"


def test_a_booking_in_the_past_or_backwards_is_refused(as_user, verified, room):
    assert book(as_user(verified), room, at(9, day=MONDAY.date() - timedelta(days=7)), at(10)).status_code == 400
    response = book(as_user(verified), room, at(10), at(9))
    assert "ends_at" in response.json()["fields"]


def test_a_booking_longer_than_the_venue_allows_is_refused(as_user, verified, community):
    hall = make_venue(community, max_booking_minutes=60)
    response = book(as_user(verified), hall, at(9), at(10, 30))
    assert "ends_at" in response.json()["fields"]


def test_an_event_occupies_its_venue(as_user, verified, room, community):
    make_event(community, venue=room, starts_at=at(14), ends_at=at(16))
    response = book(as_user(verified), room, at(15), at(17))
    assert (response.status_code, response.json()["code"]) == (409, "slot_taken")


def test_residents_of_another_community_may_not_book(as_user, room, other_community):
    response = book(as_user(make_verified(other_community)), room, at(9), at(10))
    assert (response.status_code, response.json()["code"]) == (403, "booking_not_allowed")


def test_a_staff_only_room_takes_staff_bookings_only(as_user, verified, community, staff):
    rehab = make_venue(community, name="康复训练室", residents_may_book=False)
    assert book(as_user(verified), rehab, at(9), at(10)).status_code == 403
    assert book(as_user(staff), rehab, at(9), at(10)).status_code == 201


def test_availability_shows_busy_and_free_time(as_user, verified, room, community):
    make_event(community, title="插花活动", venue=room, starts_at=at(14, 30), ends_at=at(16))
    book(as_user(make_verified(community)), room, at(9), at(10))
    body = as_user(verified).get(f"/api/v1/venues/{room.pk}/availability/", {"date": TUESDAY.isoformat()}).json()
    assert body["date"] == TUESDAY.isoformat()
    assert [(b["kind"], b["label"]) for b in body["busy"]] == [("booking", "已预约"), ("event", "插花活动")]
    free = [(s["starts_at"][11:16], s["ends_at"][11:16]) for s in body["free"]]
    assert free == [("08:30", "09:00"), ("10:00", "11:30"), ("14:00", "14:30"), ("16:00", "17:30")]


def test_availability_of_a_closed_day_is_empty(as_user, verified, room):
    saturday = (TUESDAY + timedelta(days=4)).isoformat()
    body = as_user(verified).get(f"/api/v1/venues/{room.pk}/availability/", {"date": saturday}).json()
    assert (body["opening_hours"], body["free"]) == ([], [])


def test_availability_needs_a_real_date(as_user, verified, room):
    response = as_user(verified).get(f"/api/v1/venues/{room.pk}/availability/", {"date": "someday"})
    assert response.status_code == 400


def test_i_cancel_my_booking_and_the_slot_is_free_again(as_user, verified, room, community):
    booking_id = book(as_user(verified), room, at(9), at(10)).json()["id"]
    response = as_user(verified).post(f"/api/v1/venues/bookings/{booking_id}/cancel/")
    assert response.json()["status"] == "cancelled"
    assert book(as_user(make_verified(community)), room, at(9), at(10)).status_code == 201


def test_i_cannot_cancel_someone_elses_booking_but_staff_can(as_user, verified, room, community):
    booking_id = book(as_user(verified), room, at(9), at(10)).json()["id"]
    assert as_user(make_verified(community)).post(f"/api/v1/venues/bookings/{booking_id}/cancel/").status_code == 404
    assert as_user(make_staff(community)).post(f"/api/v1/venues/bookings/{booking_id}/cancel/").status_code == 200


def test_an_events_booking_is_cancelled_through_the_event(as_user, room, community):
    staff = make_staff(community)
    make_event(community, venue=room, starts_at=at(14), ends_at=at(15))
    booking = VenueBooking.objects.get()
    response = as_user(staff).post(f"/api/v1/venues/bookings/{booking.pk}/cancel/")
    assert (response.status_code, response.json()["code"]) == (409, "event_booking")


def test_staff_of_another_role_may_not_book(as_user, room, community):
    property_manager = factories.make_user()
    factories.grant(property_manager, Role.PROPERTY_MANAGER, community=community)
    assert book(as_user(property_manager), room, at(9), at(10)).status_code == 403
