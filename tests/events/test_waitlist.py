"""Waitlist promotion on cancellation, and the history that answers "why not me?"."""

import pytest

from events.models import Registration, SeatRelease
from linli.notifications.models import Notification
from tests.events.factories import make_event, make_staff, make_verified, register

pytestmark = pytest.mark.django_db


def cancel(as_user, registration):
    response = as_user(registration.user).post(f"/api/v1/events/{registration.event_id}/cancel-registration/")
    assert response.status_code == 200, response.content
    return response


def detail(as_user, registration):
    response = as_user(registration.user).get(f"/api/v1/events/registrations/{registration.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def status_of(registration):
    return Registration.objects.get(pk=registration.pk).status


@pytest.fixture
def full_event(community):
    """4 seats, all taken by one party of 4; the waitlist is a party of 3, a party of 2 and one of 1."""
    event = make_event(community, capacity=4, max_attendees_per_registration=4)
    holder = register(event, make_verified(community, display_name="占位"), attendees=4)
    big = register(event, make_verified(community, display_name="三口之家"), attendees=3)
    pair = register(event, make_verified(community, display_name="老两口"), attendees=2)
    single = register(event, make_verified(community, display_name="独居老人"), attendees=1)
    return event, holder, big, pair, single


def test_a_cancellation_promotes_the_first_waitlisted_registrations_that_fit(as_user, full_event):
    _, holder, big, pair, single = full_event
    cancel(as_user, holder)
    assert [status_of(r) for r in (big, pair, single)] == ["confirmed", "waitlisted", "confirmed"]


def test_the_promoted_residents_are_notified(as_user, full_event):
    _, holder, big, _, single = full_event
    cancel(as_user, holder)
    promoted = Notification.objects.filter(kind="events.waitlist_promoted")
    assert sorted(promoted.values_list("recipient_id", flat=True)) == sorted([big.user_id, single.user_id])
    assert "候补成功" in promoted.first().title


def test_a_party_too_large_is_skipped_and_told_why(as_user, community):
    event = make_event(community, capacity=3, max_attendees_per_registration=3)
    holder = register(event, make_verified(community), attendees=2)
    register(event, make_verified(community), attendees=1)
    big = register(event, make_verified(community), attendees=3)
    pair = register(event, make_verified(community), attendees=2)

    cancel(as_user, holder)

    assert (status_of(big), status_of(pair)) == ("waitlisted", "confirmed")
    mine = detail(as_user, big)
    assert mine["waitlist_position"] == 1
    [round_] = mine["waitlist_rounds"]
    assert (round_["cause"], round_["seats_freed"], round_["seats_available"]) == ("cancellation", 2, 2)
    assert (round_["my_outcome"], round_["my_queue_position"]) == ("skipped_party_too_large", 1)
    assert round_["promoted"] == [{"queue_position": 2, "attendees": 2}]
    assert "放不下" in round_["explanation"]


def test_someone_further_back_sees_the_seats_went_to_those_ahead(as_user, community):
    event = make_event(community, capacity=1)
    holder = register(event, make_verified(community))
    first = register(event, make_verified(community))
    second = register(event, make_verified(community))

    cancel(as_user, holder)

    assert status_of(first) == "confirmed"
    [round_] = detail(as_user, second)["waitlist_rounds"]
    assert round_["my_outcome"] == "not_reached"
    assert round_["my_queue_position"] is None
    assert "排在您前面" in round_["explanation"]
    assert detail(as_user, second)["waitlist_position"] == 1


def test_the_promoted_registration_shows_its_promotion(as_user, community):
    event = make_event(community, capacity=1)
    holder = register(event, make_verified(community))
    waiting = register(event, make_verified(community))
    cancel(as_user, holder)

    mine = detail(as_user, waiting)
    assert [(h["from_status"], h["to_status"]) for h in mine["history"]] == [
        ("", "waitlisted"),
        ("waitlisted", "confirmed"),
    ]
    assert mine["waitlist_rounds"][0]["my_outcome"] == "promoted"
    assert mine["ticket"]


def test_rounds_after_i_left_the_waitlist_are_not_mine(as_user, community):
    event = make_event(community, capacity=1)
    holder = register(event, make_verified(community))
    waiting = register(event, make_verified(community))
    cancel(as_user, holder)  # waiting promoted
    later = register(event, make_verified(community))
    cancel(as_user, Registration.objects.get(pk=waiting.pk))  # later promoted
    assert len(detail(as_user, waiting)["waitlist_rounds"]) == 1
    assert status_of(later) == "confirmed"


def test_a_registration_that_never_waited_has_no_rounds(as_user, community, verified):
    registration = register(make_event(community), verified)
    assert detail(as_user, registration)["waitlist_rounds"] == []


def test_cancelling_from_the_waitlist_frees_no_seat(as_user, community):
    event = make_event(community, capacity=1)
    register(event, make_verified(community))
    waiting = register(event, make_verified(community))
    cancel(as_user, waiting)
    assert not SeatRelease.objects.exists()


def test_more_capacity_promotes_the_waitlist(as_user, community):
    staff = make_staff(community)
    event = make_event(community, capacity=1)
    register(event, make_verified(community))
    waiting = register(event, make_verified(community))

    response = as_user(staff).patch(f"/api/v1/staff/events/{event.pk}/", {"capacity": 2}, format="json")

    assert response.status_code == 200, response.content
    assert status_of(waiting) == "confirmed"
    [round_] = detail(as_user, waiting)["waitlist_rounds"]
    assert round_["cause"] == "capacity_increased"
