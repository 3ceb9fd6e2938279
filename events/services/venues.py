"""Venue bookings: a resident's or an event session's, never overlapping."""

import logging
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli import workflow
from linli.accounts.models import Membership, Role
from linli.api.errors import ConflictError, NotFoundError
from linli.limits import services as limits
from linli.workflow import record_step

from ..models import (
    Venue,
    VenueBooking,
)
from .errors import BookingNotAllowed, OutsideOpeningHours, SlotTaken, _invalid

logger = logging.getLogger(__name__)


# --- venues -------------------------------------------------------------------------------------


def _ensure_free(venue: Venue, starts_at: datetime, ends_at: datetime) -> None:
    clash = (
        VenueBooking.objects.filter(
            venue=venue, status=VenueBooking.Status.ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise SlotTaken(
            f"{venue.name} 在 {timezone.localtime(clash.starts_at):%m月%d日 %H:%M}–"
            f"{timezone.localtime(clash.ends_at):%H:%M} 已被预约",
            extra={"clash": {"starts_at": clash.starts_at.isoformat(), "ends_at": clash.ends_at.isoformat()}},
        )


def _insert_booking(booking: VenueBooking) -> VenueBooking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint: someone got there first
        raise SlotTaken() from exc
    record_step(booking, VenueBooking.Action.BOOK, actor=booking.booked_by, note=booking.purpose, from_status="")
    return booking


def _release_booking(booking: VenueBooking, *, actor, note: str = ""):
    """Cancel a booking whose row the caller locked in this transaction; its slot is free again."""
    return workflow.transition(
        booking, VenueBooking.Action.CANCEL, actor=actor, note=note, locked=True, cancelled_at=timezone.now()
    )


def _roles_at(venue: Venue, user) -> set[str]:
    return set(Membership.objects.filter(user=user, community_id=venue.community_id).values_list("role", flat=True))


def _may_book(venue: Venue, roles: set[str]) -> bool:
    return Role.COMMUNITY_STAFF in roles or (venue.residents_may_book and Role.RESIDENT in roles)


def may_book(*, venue: Venue, user) -> bool:
    """Staff of the venue's community always; its residents when the venue takes residents' bookings."""
    return _may_book(venue, _roles_at(venue, user))


def week_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The calendar week (Monday 00:00 to the next Monday, local time) that `moment` falls in."""
    day = timezone.localdate(moment)
    start, _ = day_bounds(day - timedelta(days=day.weekday()))
    return start, start + timedelta(days=7)


def _check_weekly_limit(user, starts_at: datetime) -> None:
    """Fair use: a person's active bookings starting in the same calendar week, against the limit.
    The caller locked the user's row, so their own concurrent bookings count one after another."""
    week_start, week_end = week_bounds(starts_at)
    held = VenueBooking.objects.filter(
        booked_by=user,
        session__isnull=True,
        status=VenueBooking.Status.ACTIVE,
        starts_at__gte=week_start,
        starts_at__lt=week_end,
    ).count()
    limits.check(limits.Key.WEEKLY_VENUE_BOOKINGS, count=held)


def opening_intervals(venue: Venue, day) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    return [
        (datetime.combine(day, h.opens_at, tz), datetime.combine(day, h.closes_at, tz))
        for h in venue.opening_hours.all()
        if h.weekday == day.weekday()
    ]


@transaction.atomic
def venue_booking_create(*, venue: Venue, user, starts_at: datetime, ends_at: datetime, purpose: str) -> VenueBooking:
    """Book a slot inside the venue's opening hours. Overlapping an active booking or event is 409 slot_taken.
    A resident books at most the weekly limit (409 limit_reached); the venue's own staff arrange it freely."""
    limits.lock_person(user)  # before the venue: one lock order for every booking
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    if not venue.is_active:
        raise NotFoundError()
    roles = _roles_at(venue, user)
    if not _may_book(venue, roles):
        raise BookingNotAllowed(
            "仅限本社区认证居民预约此场地" if venue.residents_may_book else "此场地仅供社区工作人员安排"
        )
    if starts_at >= ends_at:
        raise _invalid("ends_at", "结束时间须晚于开始时间")
    if starts_at <= timezone.now():
        raise _invalid("starts_at", "开始时间须在将来")
    if ends_at - starts_at > timedelta(minutes=venue.max_booking_minutes):
        raise _invalid("ends_at", f"单次预约不能超过 {venue.max_booking_minutes} 分钟")
    day = timezone.localdate(starts_at)
    if not any(opens <= starts_at and ends_at <= closes for opens, closes in opening_intervals(venue, day)):
        hours = "、".join(
            f"{timezone.localtime(o):%H:%M}–{timezone.localtime(c):%H:%M}" for o, c in opening_intervals(venue, day)
        )
        raise OutsideOpeningHours(f"{venue.name} 当天开放时间：{hours or '不开放'}")
    _ensure_free(venue, starts_at, ends_at)
    if Role.COMMUNITY_STAFF not in roles:
        _check_weekly_limit(user, starts_at)
    return _insert_booking(
        VenueBooking(venue=venue, booked_by=user, starts_at=starts_at, ends_at=ends_at, purpose=purpose)
    )


@transaction.atomic
def venue_booking_cancel(*, booking: VenueBooking, actor) -> VenueBooking:
    booking = VenueBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.session_id is not None:
        raise ConflictError("该时段由活动占用，请修改或取消活动", code="event_booking")
    # An already cancelled booking says so (409 invalid_transition) before its start time does.
    if workflow.can(booking, VenueBooking.Action.CANCEL) and booking.starts_at <= timezone.now():
        raise ConflictError("预约已开始，不能取消", code="booking_started")
    _release_booking(booking, actor=actor, note="取消预约")
    logger.info("venue booking %s cancelled by user %s", booking.pk, getattr(actor, "pk", None))
    return booking


def day_bounds(day) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tz)
    return start, start + timedelta(days=1)
