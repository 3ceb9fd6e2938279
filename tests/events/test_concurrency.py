"""Real concurrency on PostgreSQL: threads with their own connections racing for seats and slots."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Registration, VenueBooking
from linli.accounts.tokens import RefreshToken
from tests.events.factories import make_event, make_venue, make_verified
from tests.support.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


def test_fifty_people_racing_for_ten_seats_get_exactly_ten(community):
    event = make_event(community, capacity=10)
    clients = [client_for(make_verified(community)) for _ in range(50)]

    responses = race([lambda c=c: c.post(f"/api/v1/events/{event.pk}/register/", {}, format="json") for c in clients])

    assert all(r.status_code == 201 for r in responses), [getattr(r, "content", r) for r in responses]
    statuses = [r.json()["status"] for r in responses]
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (10, 40)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 10
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 40


def test_a_double_click_registers_once(community):
    event = make_event(community, capacity=10)
    client = client_for(make_verified(community))

    responses = race([lambda: client.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")] * 5)

    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_registered"}
    assert Registration.objects.filter(event=event).count() == 1


def test_overlapping_bookings_at_the_same_moment_leave_exactly_one(community):
    venue = make_venue(community)
    # 10:00 the day after tomorrow: every try (up to 11:50) lies inside the venue's opening hours,
    # whatever the time of day the test runs.
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    clients = [client_for(make_verified(community)) for _ in range(6)]

    def book(client, offset):
        starts = start + timedelta(minutes=offset)
        return client.post(
            f"/api/v1/venues/{venue.pk}/bookings/",
            {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat(), "purpose": "排练"},
            format="json",
        )

    responses = race([lambda c=c, i=i: book(c, i * 10) for i, c in enumerate(clients)])

    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409, 409, 409], [getattr(r, "content", r) for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    assert VenueBooking.objects.filter(venue=venue, status="active").count() == 1


def test_the_database_itself_refuses_overlapping_bookings(community):
    """The exclusion constraint of migration 0002: even a write that skips the service cannot overlap."""
    venue = make_venue(community)
    start = timezone.now() + timedelta(days=1)
    VenueBooking.objects.create(venue=venue, starts_at=start, ends_at=start + timedelta(hours=2), purpose="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        VenueBooking.objects.create(
            venue=venue, starts_at=start + timedelta(hours=1), ends_at=start + timedelta(hours=3), purpose="b"
        )
    # Cancelled bookings and other venues do not count.
    VenueBooking.objects.create(
        venue=venue, starts_at=start, ends_at=start + timedelta(hours=1), purpose="c", status="cancelled"
    )
    VenueBooking.objects.create(
        venue=make_venue(community), starts_at=start, ends_at=start + timedelta(hours=1), purpose="d"
    )
