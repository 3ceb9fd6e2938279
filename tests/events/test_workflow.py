"""Events, registrations and venue bookings change status through the platform workflow: a refused step
is 409 invalid_transition naming the current state, and every step leaves a history row."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from events import services
from events.models import EventHistory, RegistrationHistory, VenueBooking, VenueBookingHistory
from linli.api.errors import InvalidTransition
from tests.events.factories import make_event, make_staff, make_venue, make_verified, register

pytestmark = pytest.mark.django_db


def steps(history):
    return [(h.action, h.from_status, h.to_status, h.actor_id) for h in history.order_by("created_at", "id")]


def test_it_refuses_to_publish_a_cancelled_event_naming_its_state(as_user, staff, community):
    event = make_event(community, publish=False)
    services.event_cancel(event=event, actor=staff, reason="改期")

    response = as_user(staff).post(f"/api/v1/staff/events/{event.pk}/publish/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "活动当前为「已取消」，不能发布",
        "status": "cancelled",
    }


def test_it_refuses_to_cancel_an_attended_registration_naming_its_state(staff, community, verified):
    """(The resident's API finds only open registrations; staff cancel any from the console.)"""
    event = make_event(community)
    registration = register(event, verified)
    services.registration_check_in(event=event, ticket=registration.ticket, staff=staff)

    with pytest.raises(InvalidTransition) as refused:
        services.registration_cancel(registration=registration, actor=staff, note="工作人员取消")

    assert (refused.value.status_code, refused.value.code) == (409, "invalid_transition")
    assert refused.value.message == "报名当前为「已签到」，不能取消"


def test_it_refuses_to_cancel_a_cancelled_booking_naming_its_state(as_user, community, verified):
    venue = make_venue(community)
    start = (timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    booking = services.venue_booking_create(
        venue=venue, user=verified, starts_at=start, ends_at=start + timedelta(hours=1), purpose="排练"
    )
    client = as_user(verified)
    assert client.post(f"/api/v1/venues/bookings/{booking.pk}/cancel/").status_code == 200

    response = client.post(f"/api/v1/venues/bookings/{booking.pk}/cancel/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "场地预约当前为「已取消」，不能取消",
        "status": "cancelled",
    }


def test_it_records_every_step_of_an_event(staff, community):
    event = make_event(community, publish=False, created_by=staff)
    services.event_publish(event=event, actor=staff)
    services.event_cancel(event=event, actor=staff, reason="台风预警")

    assert steps(EventHistory.objects.filter(event=event)) == [
        ("create", "", "draft", staff.pk),
        ("publish", "draft", "published", staff.pk),
        ("cancel", "published", "cancelled", staff.pk),
    ]
    assert event.history.last().note == "台风预警"


def test_it_records_the_finish_of_an_event_and_its_no_shows(community, verified):
    event = make_event(community, starts_in=timedelta(hours=1))
    registration = register(event, verified)

    with time_machine.travel(event.final_ends_at + timedelta(minutes=1)):
        assert services.event_finish(event_id=event.pk)

    assert steps(event.history)[-1] == ("finish", "published", "finished", None)
    assert steps(registration.history)[-1] == ("mark_no_show", "confirmed", "no_show", None)


def test_it_records_registering_waiting_promotion_check_in_and_cancelling(staff, community):
    event = make_event(community, capacity=1)
    first, second = make_verified(community), make_verified(community)
    holder = register(event, first)
    waiting = register(event, second)

    services.registration_cancel(registration=holder, actor=first)
    waiting.refresh_from_db()
    services.registration_check_in(event=event, ticket=waiting.ticket, staff=staff)

    assert steps(RegistrationHistory.objects.filter(registration=holder)) == [
        ("register", "", "confirmed", first.pk),
        ("cancel", "confirmed", "cancelled", first.pk),
    ]
    assert steps(RegistrationHistory.objects.filter(registration=waiting)) == [
        ("register", "", "waitlisted", second.pk),
        ("promote", "waitlisted", "confirmed", None),
        ("check_in", "confirmed", "attended", staff.pk),
    ]


def test_it_records_booking_and_cancelling_a_venue(community, verified):
    venue = make_venue(community)
    start = (timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    booking = services.venue_booking_create(
        venue=venue, user=verified, starts_at=start, ends_at=start + timedelta(hours=1), purpose="排练"
    )
    services.venue_booking_cancel(booking=booking, actor=verified)

    assert steps(VenueBookingHistory.objects.filter(booking=booking)) == [
        ("book", "", "active", verified.pk),
        ("cancel", "active", "cancelled", verified.pk),
    ]


def test_it_records_the_release_of_an_events_venue_when_the_event_is_cancelled(community):
    staff = make_staff(community)
    event = make_event(community, venue=make_venue(community), created_by=staff)
    services.event_cancel(event=event, actor=staff, reason="改期")

    booking = VenueBooking.objects.get(session__event=event)
    assert steps(booking.history) == [("book", "", "active", staff.pk), ("cancel", "active", "cancelled", staff.pk)]
    assert booking.history.last().note == "活动取消：改期"
