"""Quality-gate registrations for the events endpoints (see tests/quality/registry.py)."""

from datetime import timedelta

from django.utils import timezone

from events import services
from events.models import Event, Feedback, HoursAdjustment, SessionAttendance, Venue, VenueBooking
from tests.events.factories import make_event, make_staff, make_venue, make_verified, register

ROSTER, RATED, VOLUNTEERING = "名单测试活动", "评价测试活动", "志愿测试活动"


def _event(persona, title, **kw):
    """The same event each call (nested lists need stable path parameters)."""
    event = Event.objects.filter(community=persona.community, title=title).first()
    return event or make_event(persona.community, title=title, capacity=1000, points_reward=0, **kw)


def _venue(persona):
    venue = Venue.objects.filter(community=persona.community, name="预约测试场地").first()
    return venue or make_venue(persona.community, name="预约测试场地")


def make_events(persona, n):
    first = Event.objects.count()
    for i in range(first, first + n):
        event = make_event(persona.community, title=f"活动{i}", capacity=2, starts_in=timedelta(days=2, minutes=i))
        if i % 2:
            register(event, persona.user)


def make_my_registrations(persona, n):
    first = Event.objects.count()
    for i in range(first, first + n):
        register(make_event(persona.community, title=f"活动{i}", starts_in=timedelta(days=2, minutes=i)), persona.user)


def make_staff_events(persona, n):
    first = Event.objects.count()
    for i in range(first, first + n):
        make_event(persona.community, title=f"活动{i}", publish=bool(i % 2), starts_in=timedelta(days=2, minutes=i))


def make_roster(persona, n):
    event = _event(persona, ROSTER)
    for _ in range(n):
        register(event, make_verified(persona.community, phone=None))
    return {"id": event.pk}


def make_feedback(persona, n):
    event = _event(persona, RATED)
    for _ in range(n):
        resident = make_verified(persona.community)
        registration = register(event, resident)
        services.registration_check_in(event=event, ticket=registration.ticket, staff=persona.user)
        Feedback.objects.create(registration=registration, event=event, rating=4, comment="很好")
    return {"id": event.pk}


def _attend(event, registration, staff, *, hours="2.0"):
    """A credited volunteer session with one adjustment (the list shows both), written directly: the
    check-in window of a session is open only around its time (the behaviour tests move the clock)."""
    session = event.sessions.first()
    attendance = SessionAttendance.objects.create(
        event=event,
        session=session,
        registration=registration,
        user=registration.user,
        status=SessionAttendance.Status.CHECKED_OUT,
        checked_in_at=session.starts_at,
        checked_in_by=staff,
        checked_out_at=session.ends_at,
        checked_out_by=staff,
        hours=hours,
        computed_hours=hours,
    )
    HoursAdjustment.objects.create(
        attendance=attendance, adjusted_by=staff, hours_before=hours, hours_after=hours, reason="核对无误"
    )
    return attendance


def make_event_attendances(persona, n):
    event = _event(persona, VOLUNTEERING, category=Event.Category.VOLUNTEER)
    for _ in range(n):
        _attend(event, register(event, make_verified(persona.community)), persona.user)
    return {"id": event.pk}


def make_my_volunteer_hours(persona, n):
    first = Event.objects.count()
    for i in range(first, first + n):
        event = make_event(
            persona.community,
            title=f"志愿活动{i}",
            category=Event.Category.VOLUNTEER,
            starts_in=timedelta(days=2, minutes=i),
        )
        _attend(event, register(event, persona.user), make_staff(persona.community))


def an_attendance(persona):
    event = _event(persona, VOLUNTEERING, category=Event.Category.VOLUNTEER)
    return {"id": _attend(event, register(event, make_verified(persona.community)), persona.user).pk}


def a_volunteer(persona):
    make_my_volunteer_hours(persona, 2)
    return {}


def make_venues(persona, n):
    for _ in range(n):
        make_venue(persona.community)


def make_bookings(persona, n):
    venue = _venue(persona)
    start = timezone.now() + timedelta(days=1) + timedelta(hours=VenueBooking.objects.filter(venue=venue).count())
    for i in range(n):
        VenueBooking.objects.create(
            venue=venue,
            booked_by=persona.user,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i, minutes=50),
            purpose="书法练习",
        )


def an_event(persona):
    event = make_event(persona.community, sessions_count=3)
    register(event, persona.user)
    return {"id": event.pk}


def a_registration_that_waited(persona):
    event = make_event(persona.community, capacity=1)
    holder = register(event, make_verified(persona.community))
    mine = register(event, persona.user)
    services.registration_cancel(registration=holder, actor=holder.user)
    return {"id": mine.pk}


def a_staff_event(persona):
    return {"id": make_event(persona.community, venue=make_venue(persona.community), sessions_count=2).pk}


def a_venue(persona):
    return {"id": make_venue(persona.community).pk}


def a_busy_venue(persona):
    venue = make_venue(persona.community)
    make_event(persona.community, venue=venue, starts_in=timedelta(minutes=90))
    return {"id": venue.pk}


def a_booking(persona):
    make_bookings(persona, 1)
    return {"id": VenueBooking.objects.filter(booked_by=persona.user).latest("id").pk}


LIST_DATA = {
    "/api/v1/events/": ("resident", make_events),
    "/api/v1/events/registrations/": ("resident", make_my_registrations),
    "/api/v1/staff/events/": ("staff", make_staff_events),
    "/api/v1/staff/events/{id}/registrations/": ("staff", make_roster),
    "/api/v1/staff/events/{id}/feedback/": ("staff", make_feedback),
    "/api/v1/staff/events/{id}/attendances/": ("staff", make_event_attendances),
    "/api/v1/volunteering/me/hours/": ("resident", make_my_volunteer_hours),
    "/api/v1/venues/": ("resident", make_venues),
    "/api/v1/venues/bookings/": ("resident", make_bookings),
}

DETAIL_BUDGETS = {
    # 1 token user, 1 my roles (residents-only events I see, my eligibility), 1 the event with seats
    # annotated, 1 its communities, 1 my registration, 1 its sessions
    "/api/v1/events/{id}/": ("resident", an_event, 6),
    # 1 token user, 1 the registration with its event, venue and community, 1 its status history,
    # 1 the event's sessions, 1 promotion rounds while it waited, 1 their decisions
    # (+1 for the waitlist position while still waiting; this one has been promoted)
    "/api/v1/events/registrations/{id}/": ("resident", a_registration_that_waited, 6),
    # 1 token user, 1 my roles (the has_role check and my communities), 1 the event with its counters,
    # 1 its communities, 1 its sessions
    "/api/v1/staff/events/{id}/": ("staff", a_staff_event, 5),
    # 1 token user, 1 my roles (has_role), 1 the attendance with its user, session, event and checkers,
    # 1 its adjustments with who adjusted
    "/api/v1/staff/events/attendances/{id}/": ("staff", an_attendance, 4),
    # 1 token user, 1 hours by year, 1 the latest activities, 1 how many activities
    "/api/v1/volunteering/me/": ("resident", a_volunteer, 4),
    # 1 token user, 1 the venue with its community, 1 its opening hours
    "/api/v1/venues/{id}/": ("resident", a_venue, 3),
    # … and 1 the day's bookings with their events
    "/api/v1/venues/{id}/availability/": ("resident", a_busy_venue, 4),
    # 1 token user, 1 the booking with its venue and community
    "/api/v1/venues/bookings/{id}/": ("resident", a_booking, 2),
}


def give_event_data(user):
    community = user.memberships.first().community if user.memberships.exists() else None
    if community is None:
        from tests import factories

        community = factories.make_community()
    event = make_event(community, title="插花活动", points_reward=0)
    registration = register(event, user)
    services.registration_check_in(event=event, ticket=registration.ticket, staff=None)
    services.feedback_create(event=event, user=user, rating=5, comment="隐私测试：老伴腿脚不便")
    upcoming = make_event(community, title="读书会", starts_in=timedelta(days=5))
    register(upcoming, user)
    venue = make_venue(community)
    start = timezone.now() + timedelta(days=2)
    VenueBooking.objects.create(
        venue=venue, booked_by=user, starts_at=start, ends_at=start + timedelta(hours=1), purpose="隐私测试：家庭聚会"
    )
    return ["隐私测试：老伴腿脚不便", "隐私测试：家庭聚会"]


PRIVACY_DATA = {"events": give_event_data}
# registrations with their event and feedback, venue bookings with their venue, session attendance with
# its event and session, course completions with their course
EXPORT_QUERIES = {"events": 4}
