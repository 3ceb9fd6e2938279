"""A weekly course (幸福学堂): N sessions, each holding the venue, joined once for the whole course."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import EventSession, VenueBooking
from linli.api.errors import ConflictError
from tests.events.factories import make_event, make_venue, make_verified, register

pytestmark = pytest.mark.django_db


def test_a_course_has_a_session_and_a_booking_each_week(community):
    venue = make_venue(community)
    course = make_event(community, venue=venue, sessions_count=4)
    sessions = list(EventSession.objects.filter(event=course).order_by("index"))
    assert [s.starts_at - sessions[0].starts_at for s in sessions] == [timedelta(weeks=w) for w in range(4)]
    assert [b.session_id for b in VenueBooking.objects.filter(venue=venue).order_by("starts_at")] == [
        s.pk for s in sessions
    ]
    assert course.final_ends_at == sessions[-1].ends_at


def test_residents_register_once_for_the_whole_course(as_user, community):
    course = make_event(community, sessions_count=6, capacity=2)
    resident = make_verified(community)
    register(course, resident)
    response = as_user(resident).get("/api/v1/events/registrations/")
    [row] = response.json()["results"]
    assert row["event"]["sessions_count"] == 6
    assert as_user(resident).get(f"/api/v1/events/{course.pk}/").json()["remaining"] == 1


def test_a_clash_in_any_week_refuses_the_course(community):
    venue = make_venue(community)
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    make_event(community, venue=venue, starts_at=start + timedelta(weeks=2, minutes=30), title="三周后的讲座")
    with pytest.raises(ConflictError) as refused:
        make_event(community, venue=venue, starts_at=start, sessions_count=4, title="课程")
    assert refused.value.code == "slot_taken"


def test_shortening_a_course_releases_the_later_weeks(as_user, staff, community):
    venue = make_venue(community)
    course = make_event(community, venue=venue, sessions_count=4)
    response = as_user(staff).patch(f"/api/v1/staff/events/{course.pk}/", {"sessions_count": 2}, format="json")
    assert response.status_code == 200, response.content
    assert VenueBooking.objects.filter(venue=venue, status="active").count() == 2
    services.event_cancel(event=course, actor=staff, reason="报名人数不足")
    assert not VenueBooking.objects.filter(venue=venue, status="active").exists()
