"""Reads that need care: who sees which event, seats and the viewer's own state as annotations (no
per-row queries), the waitlist history of a registration, a venue's free and busy time."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Avg, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.selectors import community_ids_for

from .models import (
    CourseCompletion,
    Event,
    EventSession,
    Feedback,
    HoursAdjustment,
    Registration,
    RegistrationHistory,
    SeatRelease,
    SessionAttendance,
    Venue,
    VenueBooking,
    WaitlistDecision,
)
from .services import day_bounds, opening_intervals

R = Registration.Status


def _count(queryset, field="pk"):
    """A correlated COUNT/SUM subquery that never multiplies the outer rows (unlike a join + Count)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("event").annotate(n=Count(field) if field == "pk" else Sum(field)).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _seats_taken():
    return _count(Registration.objects.filter(event=OuterRef("pk"), status__in=Registration.SEAT_STATUSES), "attendees")


def _waitlisted():
    return _count(Registration.objects.filter(event=OuterRef("pk"), status=R.WAITLISTED))


# --- residents ----------------------------------------------------------------------------------


def _visible_events(user) -> QuerySet[Event]:
    """Every non-draft event `user` may see (open ones, and residents-only ones of a community they
    belong to), with `seats_taken` and `waitlisted`, their community, venue and communities."""
    member_of = community_ids_for(user)  # the request's one membership load
    visible = Q(residents_only=False)
    if member_of:
        visible |= Q(pk__in=Event.communities.through.objects.filter(community_id__in=member_of).values("event_id"))
    return (
        Event.objects.exclude(status=Event.Status.DRAFT)
        .filter(visible)
        .annotate(seats_taken=_seats_taken(), waitlisted=_waitlisted())
        .select_related("community", "venue")
        .prefetch_related("communities")
    )


def events_for_resident(user) -> QuerySet[Event]:
    """`_visible_events` with the user's own state: `my_registrations` holds the user's active
    registration (one query for the whole page, not three subqueries per row) and
    `verified_resident(event, user)` answers from the prefetched communities and the request's roles.
    """
    mine = Registration.objects.filter(user=user).exclude(status=R.CANCELLED).only("event_id", "status", "attendees")
    return _visible_events(user).prefetch_related(Prefetch("registrations", queryset=mine, to_attr="my_registrations"))


def my_registration(event: Event) -> Registration | None:
    """The user's active registration of an event from `events_for_resident` (at most one: a constraint)."""
    return event.my_registrations[0] if event.my_registrations else None


def verified_resident(event: Event, user) -> bool:
    """A resident role in one of the communities the event is for (its `communities` prefetched)."""
    resident_of = community_ids_for(user, Role.RESIDENT)
    return any(community.pk in resident_of for community in event.communities.all())


def upcoming_events_for_resident(user) -> QuerySet[Event]:
    """The resident list: published events that have not ended yet, soonest first."""
    return events_for_resident(user).filter(status=Event.Status.PUBLISHED, final_ends_at__gt=timezone.now())


def upcoming_event_cards(user) -> QuerySet[Event]:
    """The resident list without anything of the viewer's own: what every viewer with the same
    communities sees alike (the cached event cards; `my_active_registrations` adds the rest)."""
    return _visible_events(user).filter(status=Event.Status.PUBLISHED, final_ends_at__gt=timezone.now())


def my_active_registrations(user, event_ids) -> dict[int, Registration]:
    """The user's active registration of each of these events (at most one each: a constraint). 1 query."""
    mine = Registration.objects.filter(user=user, event_id__in=event_ids).exclude(status=R.CANCELLED)
    return {r.event_id: r for r in mine.only("event_id", "status", "attendees")}


def event_detail_for_resident(user) -> QuerySet[Event]:
    return events_for_resident(user).prefetch_related(
        Prefetch("sessions", queryset=EventSession.objects.order_by("index"))
    )


def registrations_of(user) -> QuerySet[Registration]:
    """A resident's registrations, newest first, with their event (ticket codes are computed, not queried)."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event__venue", "event__community", "acted_by")
        .order_by("-created_at", "-id")
    )


def registration_detail_of(user) -> QuerySet[Registration]:
    return registrations_of(user).prefetch_related(
        Prefetch("history", queryset=RegistrationHistory.objects.order_by("created_at", "id")),
        Prefetch("event__sessions", queryset=EventSession.objects.order_by("index")),
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 = next in line. None unless waitlisted."""
    if registration.status != R.WAITLISTED:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=R.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


@dataclass
class WaitlistRound:
    release: SeatRelease
    promoted: list[WaitlistDecision]
    mine: WaitlistDecision | None

    @property
    def my_outcome(self) -> str:
        return self.mine.outcome if self.mine else "not_reached"

    @property
    def explanation(self) -> str:
        freed = f"{timezone.localtime(self.release.created_at):%m月%d日 %H:%M} {self.release.get_cause_display()}"
        freed += f"，可递补 {self.release.seats_available} 个名额"
        if self.mine and self.mine.outcome == WaitlistDecision.Outcome.PROMOTED:
            return f"{freed}；您排在候补第 {self.mine.queue_position} 位，{self.mine.attendees} 人，已递补成功。"
        if self.mine:
            return (
                f"{freed}；轮到您（候补第 {self.mine.queue_position} 位）时只剩 {self.mine.seats_left} 个名额，"
                f"您的报名有 {self.mine.attendees} 人，放不下，因此按顺序递补了人数更少的报名。"
            )
        positions = "、".join(f"第 {d.queue_position} 位（{d.attendees} 人）" for d in self.promoted) or "无"
        return f"{freed}；名额已由排在您前面的候补递补（{positions}），未轮到您。"


def waitlist_rounds(registration: Registration) -> list[WaitlistRound]:
    """Every promotion round held while this registration waited — the answer to "why not me?".

    Other residents appear only by queue position and party size, never by name. 2 queries.
    """
    changes = list(registration.history.all())
    if not changes or changes[0].to_status != R.WAITLISTED:
        return []  # never waited
    left_at = next((c.created_at for c in changes[1:] if c.from_status == R.WAITLISTED), None)
    releases = SeatRelease.objects.filter(event_id=registration.event_id, created_at__gte=registration.created_at)
    if left_at is not None:
        releases = releases.filter(created_at__lte=left_at)
    releases = releases.prefetch_related(
        Prefetch("decisions", queryset=WaitlistDecision.objects.order_by("queue_position"))
    ).order_by("created_at", "id")
    rounds = []
    for release in releases:
        decisions = list(release.decisions.all())
        rounds.append(
            WaitlistRound(
                release=release,
                promoted=[d for d in decisions if d.outcome == WaitlistDecision.Outcome.PROMOTED],
                mine=next((d for d in decisions if d.registration_id == registration.pk), None),
            )
        )
    return rounds


# --- staff --------------------------------------------------------------------------------------


def events_for_staff(user) -> QuerySet[Event]:
    """Events organised by the communities where `user` is community staff, with their counters."""
    community_ids = community_ids_for(user, Role.COMMUNITY_STAFF)
    feedback = Feedback.objects.filter(event=OuterRef("pk")).order_by().values("event")
    return (
        Event.objects.filter(community_id__in=community_ids)
        .annotate(
            seats_taken=_seats_taken(),
            waitlisted=_waitlisted(),
            attended=_count(Registration.objects.filter(event=OuterRef("pk"), status=R.ATTENDED)),
            feedback_count=_count(Feedback.objects.filter(event=OuterRef("pk"))),
            feedback_average=Subquery(feedback.annotate(a=Avg("rating")).values("a")),
        )
        .select_related("community", "venue")
        .prefetch_related("communities", Prefetch("sessions", queryset=EventSession.objects.order_by("index")))
    )


def event_registrations(event: Event) -> QuerySet[Registration]:
    """The roster of an event: every registration with its resident (for staff)."""
    return Registration.objects.filter(event=event).select_related("user").order_by("created_at", "id")


def event_feedback(event: Event) -> QuerySet[Feedback]:
    return Feedback.objects.filter(event=event).select_related("registration__user").order_by("-created_at", "-id")


# --- venues -------------------------------------------------------------------------------------


def venues() -> QuerySet[Venue]:
    """Active venues with their community and opening hours (public facilities: any signed-in user)."""
    return Venue.objects.filter(is_active=True).select_related("community").prefetch_related("opening_hours")


def bookings_of(user) -> QuerySet[VenueBooking]:
    """A user's own bookings (not those made for events), newest first."""
    return (
        VenueBooking.objects.filter(booked_by=user, session__isnull=True)
        .select_related("venue__community")
        .order_by("-starts_at", "-id")
    )


def bookings_manageable_by(user) -> QuerySet[VenueBooking]:
    """Own bookings, and every booking of a venue in a community where `user` is staff."""
    staff_of = community_ids_for(user, Role.COMMUNITY_STAFF)
    return VenueBooking.objects.filter(Q(booked_by=user) | Q(venue__community_id__in=staff_of)).select_related(
        "venue__community"
    )


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    label: str = ""
    kind: str = ""


def venue_availability(venue: Venue, day: date) -> dict:
    """Opening intervals of `day`, the busy slots in them (events show their title, residents' bookings
    only "已预约"), and the free gaps left. Venue opening hours must be prefetched."""
    start, end = day_bounds(day)
    busy = [
        Slot(
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            kind="event" if booking.session_id else "booking",
            label=booking.session.event.title
            if booking.session_id and booking.session.event.status != Event.Status.DRAFT
            else "已预约",
        )
        for booking in VenueBooking.objects.filter(
            venue=venue, status=VenueBooking.Status.ACTIVE, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("session__event")
        .order_by("starts_at")
    ]
    opening = [Slot(starts_at=o, ends_at=c) for o, c in opening_intervals(venue, day)]
    free = []
    for interval in opening:
        cursor = interval.starts_at
        for slot in busy:
            if slot.ends_at <= cursor or slot.starts_at >= interval.ends_at:
                continue
            if slot.starts_at > cursor:
                free.append(Slot(starts_at=cursor, ends_at=slot.starts_at))
            cursor = max(cursor, slot.ends_at)
        if cursor < interval.ends_at:
            free.append(Slot(starts_at=cursor, ends_at=interval.ends_at))
    now = timezone.now()
    free = [Slot(starts_at=max(s.starts_at, now), ends_at=s.ends_at) for s in free if s.ends_at > now]
    return {"venue": venue, "date": day, "opening_hours": opening, "busy": busy, "free": free}


# --- attendance per session, volunteer hours ---------------------------------------------------------


def _volunteering() -> QuerySet[SessionAttendance]:
    return SessionAttendance.objects.filter(event__category=Event.Category.VOLUNTEER)


def _adjustments() -> Prefetch:
    return Prefetch("adjustments", queryset=HoursAdjustment.objects.select_related("adjusted_by"))


def volunteer_hours_of(user) -> QuerySet[SessionAttendance]:
    """My volunteer sessions, newest first, with the activity and the session (no per-row queries)."""
    return (
        _volunteering()
        .filter(user=user)
        .select_related("event__community", "session")
        .prefetch_related(_adjustments())
        .order_by("-checked_in_at", "-id")
    )


@dataclass
class VolunteerProfile:
    user: object
    total_hours: object
    sessions: int
    activities: int
    by_year: list[dict]  # {"year", "hours", "sessions", "activities"}, newest year first
    recent_activities: list[dict]  # {"event_id", "title", "community", "starts_at", "hours", "sessions"}


def volunteer_profile(user, *, activities_limit: int = 20) -> VolunteerProfile:
    """Total hours by year (local time), the activities and the latest of them: three aggregate queries."""
    mine = _volunteering().filter(user=user)
    by_year = list(
        mine.annotate(year=ExtractYear("checked_in_at"))
        .values("year")
        .annotate(hours=Sum("hours"), sessions=Count("pk"), activities=Count("event", distinct=True))
        .order_by("-year")
    )
    recent = list(
        mine.values("event_id", "event__title", "event__community__name", "event__starts_at")
        .annotate(hours=Sum("hours"), sessions=Count("pk"))
        .order_by("-event__starts_at", "-event_id")[:activities_limit]
    )
    activities = [
        {
            "event_id": row["event_id"],
            "title": row["event__title"],
            "community": row["event__community__name"],
            "starts_at": row["event__starts_at"],
            "hours": row["hours"],
            "sessions": row["sessions"],
        }
        for row in recent
    ]
    return VolunteerProfile(
        user=user,
        total_hours=sum((row["hours"] for row in by_year), start=Decimal("0.0")),
        sessions=sum(row["sessions"] for row in by_year),
        activities=mine.values("event").distinct().count(),
        by_year=by_year,
        recent_activities=activities,
    )


def registration_attendance(registration: Registration) -> dict:
    """Attendance of one registration of an event tracked per session (three queries): sessions attended,
    held so far, the rates (rounded down), the course completion and the volunteer hours."""
    event = registration.event
    attended = list(
        SessionAttendance.objects.filter(registration=registration)
        .order_by("session__index")
        .values_list("session__index", "hours")
    )
    held = EventSession.objects.filter(event=event, starts_at__lte=timezone.now()).count()
    completion = CourseCompletion.objects.filter(registration=registration).values_list("completed_at", flat=True)
    return {
        "sessions_attended": [index for index, _hours in attended],
        "sessions_held": held,
        "sessions_total": event.sessions_count,
        "rate_so_far": len(attended) * 100 // held if held else None,
        "rate": len(attended) * 100 // event.sessions_count,
        "completion_threshold": event.completion_threshold,
        "completed_at": completion.first(),
        "hours": sum((hours for _index, hours in attended), start=Decimal("0.0")),
    }


def event_attendances(event: Event) -> QuerySet[SessionAttendance]:
    """The per-session attendance of one event (staff): who, which session, in/out, hours, adjustments."""
    return (
        SessionAttendance.objects.filter(event=event)
        .select_related("user", "session", "checked_in_by", "checked_out_by")
        .prefetch_related(_adjustments())
        .order_by("session__index", "checked_in_at", "id")
    )


def attendances_for_staff(user) -> QuerySet[SessionAttendance]:
    """Attendances of the events of communities where `user` is staff (others' are 404)."""
    staff_of = community_ids_for(user, Role.COMMUNITY_STAFF)
    return (
        SessionAttendance.objects.filter(event__community_id__in=staff_of)
        .select_related("user", "session", "event", "checked_in_by", "checked_out_by")
        .prefetch_related(_adjustments())
    )


# --- the staff console's dashboard (linli/console) -------------------------------------------------


def registrations_by_day(*, community_ids, start: datetime, end: datetime) -> QuerySet:
    """One GROUP BY day query: registrations made each day for the communities' events (any status)."""
    return (
        Registration.objects.filter(event__community_id__in=community_ids, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(registrations=Count("pk"), people=Sum("attendees"))
        .order_by("day")
    )


def attendance_by_day(*, community_ids, start: datetime, end: datetime) -> QuerySet:
    """One GROUP BY day query: check-ins each day (registrations and the people they brought)."""
    return (
        Registration.objects.filter(
            event__community_id__in=community_ids,
            status=R.ATTENDED,
            checked_in_at__gte=start,
            checked_in_at__lt=end,
        )
        .annotate(day=TruncDate("checked_in_at"))
        .values("day")
        .annotate(attended=Count("pk"), people=Sum("attendees"))
        .order_by("day")
    )


def attendances_by_community(*, community_ids, start: datetime, end: datetime) -> dict[int, int]:
    """参与度's numerator: registrations checked in during [start, end), per organising community."""
    rows = (
        Registration.objects.filter(
            event__community_id__in=community_ids,
            status=R.ATTENDED,
            checked_in_at__gte=start,
            checked_in_at__lt=end,
        )
        .values("event__community_id")
        .annotate(n=Count("pk"))
    )
    return {row["event__community_id"]: row["n"] for row in rows}


def volunteer_hours_by_community(*, community_ids, start: datetime, end: datetime) -> dict[int, dict]:
    """One GROUP BY query: hours credited and volunteers, per organising community, for sessions checked
    in during [start, end)."""
    rows = (
        _volunteering()
        .filter(event__community_id__in=community_ids, checked_in_at__gte=start, checked_in_at__lt=end)
        .values("event__community_id", "event__community__name")
        .annotate(hours=Sum("hours"), volunteers=Count("user", distinct=True))
        .order_by("event__community__name")
    )
    return {row["event__community_id"]: row for row in rows}
