"""Events as staff run them (create, update, publish, cancel) and the background jobs that end them and remind."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from linli import workflow
from linli.api.errors import InvalidTransition
from linli.notifications.services import notify
from linli.workflow import record_step

from ..models import (
    Event,
    EventSession,
    Registration,
    SeatRelease,
    Venue,
    VenueBooking,
)
from .attendance import course_complete
from .errors import CapacityBelowTaken, EventStarted, _invalid
from .registrations import _promote_waitlist, _registration_step, seats_taken
from .venues import _ensure_free, _insert_booking, _release_booking

R = Registration.Status
E = Event.Action
MAX_SESSIONS = 52
MAX_AGE = 150


# --- events (staff) -----------------------------------------------------------------------------

SCHEDULE_FIELDS = ("starts_at", "ends_at", "sessions_count", "venue")
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "venue",
    "location",
    "starts_at",
    "ends_at",
    "sessions_count",
    "registration_opens_at",
    "registration_closes_at",
    "cancellation_deadline",
    "capacity",
    "waitlist_enabled",
    "max_attendees_per_registration",
    "residents_only",
    "age_min",
    "age_max",
    "points_reward",
    "planned_hours",
    "completion_threshold",
    "award_per_session",
)


def _session_times(starts_at: datetime, ends_at: datetime, count: int) -> list[tuple[datetime, datetime]]:
    week = timedelta(days=7)
    return [(starts_at + week * i, ends_at + week * i) for i in range(count)]


def _validate_event(event: Event) -> None:
    """Field rules that need several fields; raises validation_error naming the field."""
    if event.starts_at >= event.ends_at:
        raise _invalid("ends_at", "结束时间须晚于开始时间")
    if not 1 <= event.sessions_count <= MAX_SESSIONS:
        raise _invalid("sessions_count", f"课时数为 1–{MAX_SESSIONS}")
    if event.sessions_count > 1 and event.ends_at - event.starts_at >= timedelta(days=7):
        raise _invalid("ends_at", "每周一次的课程，每次不能超过 7 天")
    if event.capacity < 1:
        raise _invalid("capacity", "名额至少为 1")
    if event.venue is not None:
        if event.venue.community_id != event.community_id:
            raise _invalid("venue", "场地不属于主办社区")
        if not event.venue.is_active:
            raise _invalid("venue", "场地已停用")
        if event.capacity > event.venue.capacity:
            raise _invalid("capacity", f"超过场地容纳人数（{event.venue.capacity} 人）")
    if event.max_attendees_per_registration < 1:
        raise _invalid("max_attendees_per_registration", "至少为 1")
    for field in ("age_min", "age_max"):
        value = getattr(event, field)
        if value is not None and value > MAX_AGE:
            raise _invalid(field, "年龄不合理")
    if event.age_min is not None and event.age_max is not None and event.age_min > event.age_max:
        raise _invalid("age_max", "最大年龄不能小于最小年龄")
    if event.planned_hours is not None and not (0 < event.planned_hours <= 24 and event.planned_hours * 2 % 1 == 0):
        raise _invalid("planned_hours", "每次服务时长为 0.5–24 小时，以 0.5 小时为单位")
    if not 1 <= event.completion_threshold <= 100:
        raise _invalid("completion_threshold", "结业出勤率为 1–100（%）")
    closes = event.effective_registration_closes_at
    if event.registration_opens_at and event.registration_opens_at >= closes:
        raise _invalid("registration_opens_at", "报名开始须早于报名截止")
    if closes > event.final_ends_at:
        raise _invalid("registration_closes_at", "报名截止不能晚于活动结束")
    if event.effective_cancellation_deadline > event.final_ends_at:
        raise _invalid("cancellation_deadline", "取消截止不能晚于活动结束")


def _book_sessions(event: Event, actor) -> None:
    """(Re)create the event's sessions and, with a venue, a booking of the venue for each one."""
    event.sessions.all().delete()  # their bookings go with them (CASCADE)
    times = _session_times(event.starts_at, event.ends_at, event.sessions_count)
    sessions = EventSession.objects.bulk_create(
        EventSession(event=event, index=i, starts_at=start, ends_at=end) for i, (start, end) in enumerate(times, 1)
    )
    if event.venue is None or event.status == Event.Status.CANCELLED:
        return
    venue = Venue.objects.select_for_update().get(pk=event.venue_id)
    for session in sessions:
        _ensure_free(venue, session.starts_at, session.ends_at)
        _insert_booking(
            VenueBooking(
                venue=venue,
                session=session,
                booked_by=actor,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                purpose=f"活动：{event.title}"[:100],
            )
        )


@transaction.atomic
def event_create(*, community, created_by, communities=(), **fields) -> Event:
    """A draft event of `community` (its staff manage it), open to `communities` too. Its venue is held
    from now on: a clash with another booking or event is 409 slot_taken."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    fields.setdefault("sessions_count", 1)
    event = Event(community=community, created_by=created_by, **fields)
    event.final_ends_at = _session_times(event.starts_at, event.ends_at, event.sessions_count)[-1][1]
    if event.starts_at <= timezone.now():
        raise _invalid("starts_at", "开始时间须在将来")
    _validate_event(event)
    event.save()
    event.communities.set({community.pk, *(c.pk for c in communities)})
    record_step(event, E.CREATE, actor=created_by, note="创建", from_status="")
    _book_sessions(event, created_by)
    return event


@transaction.atomic
def event_update(*, event: Event, actor, communities=None, **fields) -> Event:
    """Staff edit a draft or published event. Schedule changes rebook the venue and tell registrants;
    more capacity promotes the waitlist; less than the seats already held is 409 capacity_below_taken."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise InvalidTransition(f"活动{event.get_status_display()}，不能修改")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    old_capacity = event.capacity
    schedule_changed = any(getattr(event, name) != value for name, value in fields.items() if name in SCHEDULE_FIELDS)
    for name, value in fields.items():
        setattr(event, name, value)
    event.final_ends_at = _session_times(event.starts_at, event.ends_at, event.sessions_count)[-1][1]
    if schedule_changed and event.starts_at <= timezone.now():
        raise _invalid("starts_at", "开始时间须在将来")
    _validate_event(event)
    taken = seats_taken(event)
    if event.capacity < taken:
        raise CapacityBelowTaken(f"已有 {taken} 人报名，名额不能少于此数", extra={"seats_taken": taken})
    event.save()
    if communities is not None:
        event.communities.set({event.community_id, *(c.pk for c in communities)})
    if schedule_changed:
        _book_sessions(event, actor)
    if event.status == Event.Status.PUBLISHED:
        if event.capacity > old_capacity:
            _promote_waitlist(
                event, cause=SeatRelease.Cause.CAPACITY_INCREASED, seats_freed=event.capacity - old_capacity
            )
        if schedule_changed:
            _notify_registrants(
                event,
                statuses=(R.CONFIRMED, R.WAITLISTED),
                kind="events.changed",
                title=f"活动时间或地点变更：{event.title}",
                body=f"新的时间：{timezone.localtime(event.starts_at):%m月%d日 %H:%M}"
                + (f"，地点：{event.venue}" if event.venue else "")
                + "。如无法参加，请在小程序中取消报名。",
            )
    return event


def _notify_registrants(event: Event, *, statuses, kind: str, title: str, body: str, dedupe_key=None) -> int:
    users = Registration.objects.filter(event=event, status__in=statuses).values_list("user_id", flat=True)
    return notify(
        list(users),
        kind,
        title,
        body,
        link=f"/pages/events/detail?id={event.pk}",
        data={"event_id": event.pk},
        dedupe_key=dedupe_key,
    )


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.DRAFT and event.starts_at <= timezone.now():
        raise EventStarted("活动开始时间已过，请修改时间后再发布")
    workflow.transition(event, E.PUBLISH, actor=actor, note="发布", locked=True, published_at=timezone.now())
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    """Cancel the event: every open registration is cancelled and told why; the venue is released."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    workflow.transition(
        event, E.CANCEL, actor=actor, note=reason, locked=True, cancelled_at=timezone.now(), cancel_reason=reason[:200]
    )
    open_registrations = list(
        Registration.objects.select_for_update().filter(event=event, status__in=(R.CONFIRMED, R.WAITLISTED))
    )
    user_ids = [r.user_id for r in open_registrations]
    for registration in open_registrations:
        _registration_step(registration, Registration.Action.CANCEL, actor=actor, note=f"活动取消：{reason}")
    active = VenueBooking.Status.ACTIVE
    for booking in VenueBooking.objects.select_for_update(of=("self",)).filter(session__event=event, status=active):
        _release_booking(booking, actor=actor, note=f"活动取消：{reason}")
    notify(
        user_ids,
        "events.cancelled",
        f"活动取消：{event.title}",
        f"很抱歉，原定于 {timezone.localtime(event.starts_at):%m月%d日 %H:%M} 的活动已取消。原因：{reason}",
        link=f"/pages/events/detail?id={event.pk}",
        data={"event_id": event.pk},
        dedupe_key=f"event-cancelled-{event.pk}",
    )
    return event


# --- background: end of events, reminders -----------------------------------------------------


@transaction.atomic
def event_finish(*, event_id: int) -> bool:
    """Finish a published event whose last session has ended; confirmed registrations become no-shows.
    Re-locks and re-checks, so a repeated or concurrent run does nothing the second time."""
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None or event.status != Event.Status.PUBLISHED or event.final_ends_at > timezone.now():
        return False
    workflow.transition(event, E.FINISH, note="活动结束（自动）", locked=True, finished_at=timezone.now())
    absent = Registration.objects.select_for_update().filter(event=event, status=R.CONFIRMED)
    for registration in absent:
        _registration_step(registration, Registration.Action.MARK_NO_SHOW, note="活动结束时未签到")
    # A course's completions are decided here, once: the finish transition happens once per event
    # (under its row lock), and a completion is one per registration anyway.
    course_complete(event)
    return True


def events_finish_ended() -> int:
    due = Event.objects.filter(status=Event.Status.PUBLISHED, final_ends_at__lte=timezone.now())
    return sum(event_finish(event_id=pk) for pk in due.values_list("pk", flat=True))


REMINDERS = {"24h": ("reminded_24h_at", "明天"), "2h": ("reminded_2h_at", "2 小时后")}


@transaction.atomic
def session_send_reminder(*, session_id: int, kind: str) -> int:
    """Remind the confirmed registrants of one session (kind "24h" or "2h"), once. Returns how many were told."""
    field, when = REMINDERS[kind]
    session = (
        EventSession.objects.select_for_update(of=("self",))
        .select_related("event__venue")
        .filter(pk=session_id)
        .first()
    )
    now = timezone.now()
    if session is None or getattr(session, field) or session.starts_at <= now:
        return 0
    event = session.event
    if event.status != Event.Status.PUBLISHED:
        return 0
    where = f"，地点：{event.venue}" if event.venue else (f"，地点：{event.location}" if event.location else "")
    which = f"（第 {session.index}/{event.sessions_count} 次课）" if event.sessions_count > 1 else ""
    told = _notify_registrants(
        event,
        statuses=(R.CONFIRMED,),
        kind="events.reminder",
        title=f"活动提醒：{event.title}",
        body=f"您报名的活动{which}将于{when}（{timezone.localtime(session.starts_at):%m月%d日 %H:%M}）开始{where}。",
        dedupe_key=f"event-reminder-{kind}-{session.pk}",
    )
    setattr(session, field, now)
    if kind == "2h" and session.reminded_24h_at is None:
        session.reminded_24h_at = now  # too late for the day-before reminder: the 2-hour one replaces it
    session.save(update_fields=["reminded_24h_at", "reminded_2h_at"])
    return told


def sessions_send_due_reminders() -> int:
    """Beat: the 2-hour reminder for sessions starting within 2 hours, the 24-hour one within a day."""
    now = timezone.now()
    upcoming = EventSession.objects.filter(event__status=Event.Status.PUBLISHED, starts_at__gt=now)
    due_2h = upcoming.filter(reminded_2h_at__isnull=True, starts_at__lte=now + timedelta(hours=2))
    due_24h = upcoming.filter(
        reminded_24h_at__isnull=True, starts_at__gt=now + timedelta(hours=2), starts_at__lte=now + timedelta(hours=24)
    )
    told = sum(session_send_reminder(session_id=pk, kind="2h") for pk in due_2h.values_list("pk", flat=True))
    told += sum(session_send_reminder(session_id=pk, kind="24h") for pk in due_24h.values_list("pk", flat=True))
    return told
