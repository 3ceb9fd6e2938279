"""Factories for the events tests: venues, events (through the services, so venues are booked), registrations."""

from datetime import date, time, timedelta

from django.utils import timezone

from events import services
from events.models import Event, Venue, VenueOpeningHours
from linli.accounts.models import Role
from tests import factories

ALL_DAY = [(range(7), time(0, 0), time(23, 59))]


def make_venue(community, *, hours=ALL_DAY, **kw) -> Venue:
    n = Venue.objects.count() + 1
    defaults = {"name": f"活动室{n}", "location": "邻礼中心 2楼", "capacity": 100}
    venue = Venue.objects.create(community=community, **{**defaults, **kw})
    VenueOpeningHours.objects.bulk_create(
        VenueOpeningHours(venue=venue, weekday=day, opens_at=opens, closes_at=closes)
        for days, opens, closes in hours
        for day in days
    )
    return venue


def make_staff(community, **kw):
    user = factories.make_user(is_staff=True, **kw)
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    return user


def make_verified(community, *, birth_date=date(1950, 6, 1), **kw):
    """A verified resident: the resident role in `community` (what household verification grants)."""
    user = factories.make_resident(birth_date=birth_date, **kw)
    factories.grant(user, Role.RESIDENT, community=community)
    return user


def make_event(community, *, publish=True, starts_in=timedelta(days=3), duration=timedelta(hours=2), **fields) -> Event:
    starts_at = fields.pop("starts_at", None) or timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("title", "插花活动")
    fields.setdefault("capacity", 10)
    event = services.event_create(
        community=community,
        created_by=fields.pop("created_by", None),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", None) or starts_at + duration,
        **fields,
    )
    if publish:
        event = services.event_publish(event=event, actor=None)
    return event


def register(event, user, attendees=1):
    return services.registration_create(event=event, user=user, attendees=attendees)
