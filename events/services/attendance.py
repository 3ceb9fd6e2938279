"""Attendance per session (volunteering, 幸福学堂 courses): check-in and check-out of a session, hours
credited, staff closing and adjusting hours, course completion, and the points each one earns.

Hours. A check-out credits min(check-out − check-in, the planned hours of a session), rounded *down*
to the half hour (a volunteer who stayed 1 h 50 min is credited 1.5 h). The planned hours are the
event's `planned_hours`, or, when empty, the session's length (rounded down the same way).
No check-out: the attendance stays `checked_in` and credits nothing until staff close it; closing
credits as if the volunteer had checked out at the session's scheduled end (or now, if earlier): the
volunteer was seen arriving and staff can still adjust down with a reason. Every later change of the
credited hours is a `HoursAdjustment` (who, before, after, why).

Points (linli/points/earning.py, rule keys of EarningRuleKey), inside the same transaction, each
idempotent per source: `volunteer_hour` × hours per credited attendance; an adjustment upwards earns
the added hours (its source: the adjustment); an adjustment downwards does not take points back (they
may be spent; staff deduct by hand in the points app if needed). `class_attended` per course session
when the course has `award_per_session`; `class_completed` per completion.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from linli.points.earning import points_earn

from ..models import CheckInScan, CourseCompletion, Event, EventSession, HoursAdjustment, Registration
from ..models import SessionAttendance as Attendance
from .errors import AlreadyCheckedOut, AttendanceStillOpen, CheckOutNotUsed, NotVolunteering, _invalid

R = Registration.Status
HALF_HOUR = timedelta(minutes=30)
# A session's check-in opens this long before it starts (volunteers arrive early) and closes at its end.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
MAX_HOURS = Decimal("24")


# --- hours ----------------------------------------------------------------------------------------


def half_hours(span: timedelta) -> Decimal:
    """A duration in hours, rounded down to the half hour (never negative)."""
    if span <= timedelta(0):
        return Decimal("0.0")
    return Decimal(span // HALF_HOUR) / 2


def planned_hours(event: Event, session: EventSession) -> Decimal:
    return event.planned_hours if event.planned_hours is not None else half_hours(session.ends_at - session.starts_at)


def credited_hours(event: Event, session: EventSession, checked_in_at: datetime, checked_out_at: datetime) -> Decimal:
    return min(half_hours(checked_out_at - checked_in_at), planned_hours(event, session))


def _earn_hours(attendance: Attendance, event: Event, *, hours: Decimal, source) -> None:
    if hours > 0:
        points_earn(
            user=attendance.user, rule="volunteer_hour", community=event.community, source=source, quantity=hours
        )


# --- scans (called from registrations._scan, which resolved and locked the registration) ---------


def session_open_for_check_in(event: Event, now: datetime) -> EventSession | None:
    """The session whose check-in window [start − 1 h, end) holds `now` (the earliest, if several)."""
    return (
        EventSession.objects.filter(event=event, starts_at__lte=now + CHECK_IN_OPENS_BEFORE, ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )


@dataclass
class SessionScan:
    outcome: str
    session: EventSession | None = None
    first_of_registration: bool = False  # the registration's first check-in: it becomes attended


def session_check_in(*, event: Event, registration: Registration, staff) -> SessionScan:
    """Check `registration` (confirmed or attended, row locked) in to the session open now."""
    Outcome = CheckInScan.Outcome
    now = timezone.now()
    session = session_open_for_check_in(event, now)
    if session is None:
        return SessionScan(Outcome.NO_SESSION_NOW)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                event=event,
                session=session,
                registration=registration,
                user=registration.user,
                checked_in_at=now,
                checked_in_by=staff,
            )
    except IntegrityError:  # this session already (the registration row lock makes this the usual path below)
        return SessionScan(Outcome.ALREADY_CHECKED_IN, session)
    if event.is_course and event.award_per_session:
        points_earn(user=registration.user, rule="class_attended", community=event.community, source=attendance)
    return SessionScan(Outcome.CHECKED_IN, session, first_of_registration=registration.status == R.CONFIRMED)


def session_already_checked_in(event: Event, registration: Registration) -> EventSession | None:
    """The session open now, if the registration has already checked in to it."""
    session = session_open_for_check_in(event, timezone.now())
    if session is not None and Attendance.objects.filter(registration=registration, session=session).exists():
        return session
    return None


def session_check_out(*, event: Event, registration: Registration, staff) -> SessionScan:
    """Check a volunteer out of their open attendance (the latest one checked in) and credit the hours."""
    Outcome = CheckInScan.Outcome
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("session", "user")
        .filter(registration=registration, status=Attendance.Status.CHECKED_IN)
        .order_by("-checked_in_at", "-id")
        .first()
    )
    if attendance is None:
        done = Attendance.objects.filter(registration=registration).order_by("-checked_in_at", "-id").first()
        if done is not None:
            return SessionScan(Outcome.ALREADY_CHECKED_OUT, done.session)
        return SessionScan(Outcome.NOT_CHECKED_IN)
    now = timezone.now()
    _credit(attendance, event, end=now, status=Attendance.Status.CHECKED_OUT, by=staff)
    return SessionScan(Outcome.CHECKED_OUT, attendance.session)


def _credit(attendance: Attendance, event: Event, *, end: datetime, status: str, by) -> None:
    hours = credited_hours(event, attendance.session, attendance.checked_in_at, end)
    attendance.status = status
    attendance.checked_out_at = end
    attendance.checked_out_by = by
    attendance.hours = attendance.computed_hours = hours
    attendance.save(
        update_fields=["status", "checked_out_at", "checked_out_by", "hours", "computed_hours", "updated_at"]
    )
    _earn_hours(attendance, event, hours=hours, source=attendance)


# --- staff: close, adjust -------------------------------------------------------------------------


def _locked(attendance: Attendance) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("session", "event__community", "user")
        .get(pk=attendance.pk)
    )


@transaction.atomic
def attendance_close(*, attendance: Attendance, actor) -> Attendance:
    """Staff end an attendance nobody checked out: hours as if checked out at the session's end (or now)."""
    attendance = _locked(attendance)
    event = attendance.event
    if not event.is_volunteering:
        raise CheckOutNotUsed()
    if attendance.status != Attendance.Status.CHECKED_IN:
        raise AlreadyCheckedOut("已签退或已补签退")
    end = max(min(timezone.now(), attendance.session.ends_at), attendance.checked_in_at)
    _credit(attendance, event, end=end, status=Attendance.Status.CLOSED, by=actor)
    return attendance


@transaction.atomic
def attendance_adjust_hours(*, attendance: Attendance, actor, hours: Decimal, reason: str) -> HoursAdjustment:
    """Staff set a volunteer's credited hours (half hours, 0–24) with a reason; audited. Upwards earns points."""
    attendance = _locked(attendance)
    event = attendance.event
    if not event.is_volunteering:
        raise NotVolunteering()
    if attendance.status == Attendance.Status.CHECKED_IN:
        raise AttendanceStillOpen()
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "请填写调整原因")
    hours = Decimal(hours)
    if not Decimal(0) <= hours <= MAX_HOURS or (hours * 2) != (hours * 2).to_integral_value():
        raise _invalid("hours", "时长为 0–24 小时，以 0.5 小时为单位")
    before = attendance.hours
    adjustment = HoursAdjustment.objects.create(
        attendance=attendance, adjusted_by=actor, hours_before=before, hours_after=hours, reason=reason[:200]
    )
    attendance.hours = hours
    attendance.save(update_fields=["hours", "updated_at"])
    _earn_hours(attendance, event, hours=hours - before, source=adjustment)
    return adjustment


# --- courses: rate and completion -------------------------------------------------------------------


def course_complete(event: Event) -> list[CourseCompletion]:
    """At a course's end (from event_finish, event row locked): a completion for each attended registration at
    or above the threshold, and its points. Idempotent: one completion per registration (OneToOne)."""
    if not event.is_course:
        return []
    now = timezone.now()
    made = []
    attended = Registration.objects.filter(event=event, status=R.ATTENDED).select_related("user")
    counts = dict(Attendance.objects.filter(event=event).values_list("registration_id").annotate(n=Count("id")))
    for registration in attended:
        rate = counts.get(registration.pk, 0) * 100 // event.sessions_count
        if rate < event.completion_threshold:
            continue
        completion, created = CourseCompletion.objects.get_or_create(
            registration=registration,
            defaults={
                "event": event,
                "user": registration.user,
                "sessions_attended": counts.get(registration.pk, 0),
                "sessions_total": event.sessions_count,
                "rate": rate,
                "threshold": event.completion_threshold,
                "completed_at": now,
            },
        )
        if created:
            points_earn(user=registration.user, rule="class_completed", community=event.community, source=completion)
            made.append(completion)
    return made
