"""Every write of the events app.

Locking order (never the other way round, so two services cannot deadlock):
    Event row → its Registration rows → Venue row.
* Seats: registering, cancelling and changing capacity lock the event row and count the seats held
  inside that transaction, so capacity is exact under concurrency (the unique constraint
  `registration_one_active_per_user` stops a double click).
* Venue slots: every booking (a resident's or an event session's) locks the venue row, checks for an
  overlap, then writes; on PostgreSQL the exclusion constraint of migration 0002 is the backstop.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.api.errors import ConflictError, DomainError, ForbiddenError, InvalidTransition, NotFoundError
from linli.notifications.services import notify
from linli.points import services as points

from .models import (
    CheckInScan,
    Event,
    EventSession,
    EventStatusChange,
    Feedback,
    Registration,
    RegistrationStatusChange,
    SeatRelease,
    Venue,
    VenueBooking,
    WaitlistDecision,
)

logger = logging.getLogger(__name__)
R = Registration.Status
MAX_SESSIONS = 52
MAX_AGE = 150


# --- errors -----------------------------------------------------------------------------------


class EventFull(ConflictError):
    code = "event_full"
    default_message = "名额已满"


class AlreadyRegistered(ConflictError):
    code = "already_registered"
    default_message = "您已报名此活动"


class RegistrationClosed(ConflictError):
    code = "registration_closed"
    default_message = "当前不在报名时间内"


class NotEligible(ForbiddenError):
    code = "not_eligible"
    default_message = "不符合报名条件"


class CancellationClosed(ConflictError):
    code = "cancellation_closed"
    default_message = "已过取消报名截止时间"


class NotRegistered(NotFoundError):
    code = "not_registered"
    default_message = "您没有报名此活动"


class CapacityBelowTaken(ConflictError):
    code = "capacity_below_taken"
    default_message = "名额不能少于已报名人数"


class EventStarted(ConflictError):
    code = "event_started"
    default_message = "活动已开始，无法执行此操作"


class SlotTaken(ConflictError):
    code = "slot_taken"
    default_message = "该时段已被预约"


class OutsideOpeningHours(DomainError):
    code = "outside_opening_hours"
    default_message = "不在场地开放时间内"


class BookingNotAllowed(ForbiddenError):
    code = "booking_not_allowed"
    default_message = "您不能预约此场地"


class NotAttended(ForbiddenError):
    code = "not_attended"
    default_message = "签到参加活动后才能评价"


class FeedbackExists(ConflictError):
    code = "feedback_exists"
    default_message = "您已评价过此活动"


class NonceReused(ConflictError):
    code = "nonce_reused"
    default_message = "该请求标识已用于另一张签到码"


class EventNotOpenForCheckIn(ConflictError):
    code = "event_not_open_for_check_in"
    default_message = "活动未在进行中，不能签到"


class InvalidTicket(DomainError):
    code = "invalid_ticket"
    default_message = "无效的签到码"


class TicketForAnotherEvent(ConflictError):
    code = "ticket_for_another_event"
    default_message = "这是其他活动的签到码"


class RegistrationCancelled(ConflictError):
    code = "registration_cancelled"
    default_message = "该报名已取消，不能签到"


class RegistrationWaitlisted(ConflictError):
    code = "registration_waitlisted"
    default_message = "该报名仍在候补中，未获得名额"


class RegistrationNoShow(ConflictError):
    code = "registration_no_show"
    default_message = "该报名已记为未到场"


# Check-in outcomes that are not a success, and the error each one answers with.
SCAN_ERRORS = {
    CheckInScan.Outcome.INVALID_TICKET: InvalidTicket,
    CheckInScan.Outcome.OTHER_EVENT: TicketForAnotherEvent,
    CheckInScan.Outcome.CANCELLED: RegistrationCancelled,
    CheckInScan.Outcome.WAITLISTED: RegistrationWaitlisted,
    CheckInScan.Outcome.NO_SHOW: RegistrationNoShow,
}


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, code="validation_error", fields={field: [message]})


# --- state machines ---------------------------------------------------------------------------


def event_transition(*, event: Event, to: str, actor=None, note: str = "") -> Event:
    """Move a (locked) event to `to`, or raise InvalidTransition; records the history row."""
    if to not in Event.TRANSITIONS[event.status]:
        raise InvalidTransition(
            f"活动当前为「{event.get_status_display()}」，不能改为「{Event.Status(to).label}」",
            extra={"status": event.status},
        )
    now = timezone.now()
    from_status, event.status = event.status, to
    stamp = {
        Event.Status.PUBLISHED: "published_at",
        Event.Status.CANCELLED: "cancelled_at",
        Event.Status.FINISHED: "finished_at",
    }[to]
    setattr(event, stamp, now)
    event.save()
    EventStatusChange.objects.create(event=event, from_status=from_status, to_status=to, actor=actor, note=note[:200])
    return event


def registration_transition(*, registration: Registration, to: str, actor=None, note: str = "") -> Registration:
    """Move a (locked) registration to `to`, or raise InvalidTransition; records the history row."""
    if to not in Registration.TRANSITIONS[registration.status]:
        raise InvalidTransition(
            f"报名当前为「{registration.get_status_display()}」，不能改为「{R(to).label}」",
            extra={"status": registration.status},
        )
    now = timezone.now()
    from_status, registration.status = registration.status, to
    if to == R.CONFIRMED:
        registration.confirmed_at = now
    elif to == R.CANCELLED:
        registration.cancelled_at = now
    elif to == R.ATTENDED:
        registration.checked_in_at = now
        registration.checked_in_by = actor
    registration.save()
    RegistrationStatusChange.objects.create(
        registration=registration, from_status=from_status, to_status=to, actor=actor, note=note[:200]
    )
    return registration


def _bulk_transition(registrations: list[Registration], *, to: str, actor=None, note: str = "") -> list[int]:
    """The same transition for many locked registrations at once (event cancelled / finished)."""
    now = timezone.now()
    for registration in registrations:
        if to not in Registration.TRANSITIONS[registration.status]:
            raise InvalidTransition(f"报名 {registration.pk} 不能改为「{R(to).label}」")
    ids = [r.pk for r in registrations]
    changes = {"status": to, "updated_at": now}
    if to == R.CANCELLED:
        changes["cancelled_at"] = now
    Registration.objects.filter(pk__in=ids).update(**changes)
    RegistrationStatusChange.objects.bulk_create(
        RegistrationStatusChange(registration=r, from_status=r.status, to_status=to, actor=actor, note=note[:200])
        for r in registrations
    )
    return ids


# --- seats & eligibility ------------------------------------------------------------------------


def seats_taken(event: Event) -> int:
    """Seats held by confirmed, attended and no-show registrations (lock the event first for a decision)."""
    total = Registration.objects.filter(event=event, status__in=Registration.SEAT_STATUSES).aggregate(
        seats=Sum("attendees")
    )["seats"]
    return total or 0


def is_verified_resident(*, event: Event, user) -> bool:
    """A resident role (granted by household verification) in one of the communities the event is for."""
    return Membership.objects.filter(user=user, role=Role.RESIDENT, community__audience_events=event).exists()


@dataclass(frozen=True)
class Ineligibility:
    reason: str  # machine code: residents_only, birth_date_missing, too_young, too_old
    message: str


def eligibility_problem(*, event: Event, user, verified_resident: bool) -> Ineligibility | None:
    """Why `user` may not join `event` (audience rules only), or None. Ages count on the first day."""
    if event.residents_only and not verified_resident:
        return Ineligibility("residents_only", "本活动仅限社区认证居民报名，请先完成住户认证")
    if event.is_age_restricted:
        age = user.age_on(timezone.localdate(event.starts_at))
        if age is None:
            return Ineligibility("birth_date_missing", "本活动有年龄要求，请先在「我的资料」中填写出生日期")
        if event.age_min is not None and age < event.age_min:
            return Ineligibility("too_young", f"本活动面向 {event.age_min} 岁及以上的居民")
        if event.age_max is not None and age > event.age_max:
            return Ineligibility("too_old", f"本活动面向 {event.age_max} 岁及以下的居民")
    return None


def _check_registration_window(event: Event, now: datetime) -> None:
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationClosed(f"活动{event.get_status_display()}，不能报名")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        raise RegistrationClosed(f"报名将于 {opens:%m月%d日 %H:%M} 开始")
    if now >= event.effective_registration_closes_at or now >= event.final_ends_at:
        raise RegistrationClosed("报名已截止")


# --- registrations ------------------------------------------------------------------------------


@transaction.atomic
def registration_create(*, event: Event, user, attendees: int = 1) -> Registration:
    """Register `user` (and family: `attendees` people) → confirmed, or waitlisted when full."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_registration_window(event, timezone.now())
    problem = eligibility_problem(
        event=event, user=user, verified_resident=is_verified_resident(event=event, user=user)
    )
    if problem:
        raise NotEligible(problem.message, extra={"reason": problem.reason})
    if not 1 <= attendees <= event.max_attendees_per_registration:
        raise _invalid("attendees", f"每份报名 1–{event.max_attendees_per_registration} 人")
    if Registration.objects.filter(event=event, user=user).exclude(status=R.CANCELLED).exists():
        raise AlreadyRegistered()

    remaining = event.capacity - seats_taken(event)
    if attendees <= remaining:
        status = R.CONFIRMED
    elif event.waitlist_enabled:
        status = R.WAITLISTED
    else:
        raise EventFull(f"名额已满（剩余 {max(remaining, 0)} 个）", extra={"remaining": max(remaining, 0)})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=user,
                attendees=attendees,
                status=status,
                confirmed_at=timezone.now() if status == R.CONFIRMED else None,
            )
    except IntegrityError as exc:  # a concurrent request of the same user won
        raise AlreadyRegistered() from exc
    RegistrationStatusChange.objects.create(
        registration=registration, from_status="", to_status=status, actor=user, note="报名"
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, note: str = "") -> Registration:
    """The resident cancels (until the event's cancellation deadline); freed seats go to the waitlist."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (R.CONFIRMED, R.WAITLISTED):
        raise InvalidTransition(f"报名当前为「{registration.get_status_display()}」，不能取消")
    if timezone.now() > event.effective_cancellation_deadline:
        raise CancellationClosed()
    held_seats = registration.status == R.CONFIRMED
    registration_transition(registration=registration, to=R.CANCELLED, actor=actor, note=note or "本人取消报名")
    if held_seats:
        _promote_waitlist(
            event,
            cause=SeatRelease.Cause.CANCELLATION,
            seats_freed=registration.attendees,
            cancelled_registration=registration,
        )
    return registration


def _promote_waitlist(
    event: Event, *, cause: str, seats_freed: int, cancelled_registration: Registration | None = None
) -> list[Registration]:
    """Give free seats to the waitlist in order: each party that fits is promoted, a party too large for
    the seats left is skipped (and told so in its history), until no seat is left. Event row is locked."""
    if event.status != Event.Status.PUBLISHED or timezone.now() >= event.final_ends_at:
        return []
    available = event.capacity - seats_taken(event)
    if available <= 0:
        return []
    waiting = list(
        Registration.objects.select_for_update().filter(event=event, status=R.WAITLISTED).order_by("created_at", "id")
    )
    if not waiting:
        return []
    release = SeatRelease.objects.create(
        event=event,
        cause=cause,
        cancelled_registration=cancelled_registration,
        seats_freed=seats_freed,
        seats_available=available,
    )
    decisions, promoted = [], []
    for position, registration in enumerate(waiting, start=1):
        if available <= 0:
            break
        fits = registration.attendees <= available
        decisions.append(
            WaitlistDecision(
                release=release,
                registration=registration,
                outcome=WaitlistDecision.Outcome.PROMOTED if fits else WaitlistDecision.Outcome.SKIPPED,
                queue_position=position,
                attendees=registration.attendees,
                seats_left=available,
            )
        )
        if fits:
            available -= registration.attendees
            registration_transition(
                registration=registration, to=R.CONFIRMED, note=f"候补递补（{release.get_cause_display()}）"
            )
            promoted.append(registration)
    WaitlistDecision.objects.bulk_create(decisions)
    for registration in promoted:
        notify(
            registration.user_id,
            "events.waitlist_promoted",
            f"候补成功：{event.title}",
            f"有名额空出，您的候补报名（{registration.attendees} 人）已转为报名成功。"
            f"活动时间 {timezone.localtime(event.starts_at):%m月%d日 %H:%M}，请准时参加。",
            link=f"/pages/events/registration?id={registration.pk}",
            data={"event_id": event.pk, "registration_id": registration.pk},
            dedupe_key=f"event-promoted-{registration.pk}",
        )
    return promoted


# --- check-in ---------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    scan: CheckInScan
    replayed: bool


@transaction.atomic
def registration_check_in(*, event: Event, ticket: str, staff, nonce: str = "") -> CheckInResult:
    """Scan a ticket at `event`: a confirmed registration becomes attended (points awarded once).

    Every scan is recorded with its outcome. A scan with a `nonce` seen before for this event replays
    that first outcome (a retried request after a lost answer); the same nonce with another ticket is
    409 nonce_reused. The caller turns a non-success outcome into its error (SCAN_ERRORS).
    """
    nonce = (nonce or "").strip()
    if nonce:
        first = _scan_with_nonce(event, nonce, ticket)
        if first is not None:
            return CheckInResult(first, replayed=True)
    if event.status != Event.Status.PUBLISHED:
        raise EventNotOpenForCheckIn(f"活动{event.get_status_display()}，不能签到")
    try:
        with transaction.atomic():
            return CheckInResult(_scan(event, ticket, staff, nonce), replayed=False)
    except IntegrityError:
        first = _scan_with_nonce(event, nonce, ticket) if nonce else None
        if first is None:
            raise
        return CheckInResult(first, replayed=True)  # a concurrent retry with the same nonce won


def _scan_with_nonce(event: Event, nonce: str, ticket: str) -> CheckInScan | None:
    first = CheckInScan.objects.select_related("registration__user").filter(event=event, nonce=nonce).first()
    if first is not None and first.ticket != ticket.strip():
        raise NonceReused()
    return first


def _scan(event: Event, ticket: str, staff, nonce: str) -> CheckInScan:
    Outcome = CheckInScan.Outcome
    ticket = ticket.strip()
    registration, points_awarded = None, 0
    registration_id = Registration.id_from_ticket(ticket)
    if registration_id is not None:
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=registration_id)
            .first()
        )
    if registration is None:
        outcome = Outcome.INVALID_TICKET
    elif registration.event_id != event.pk:
        outcome = Outcome.OTHER_EVENT
    elif registration.status == R.ATTENDED:
        outcome = Outcome.ALREADY_CHECKED_IN
    elif registration.status == R.CANCELLED:
        outcome = Outcome.CANCELLED
    elif registration.status == R.WAITLISTED:
        outcome = Outcome.WAITLISTED
    elif registration.status == R.NO_SHOW:
        outcome = Outcome.NO_SHOW
    else:
        registration_transition(registration=registration, to=R.ATTENDED, actor=staff, note="扫码签到")
        if event.points_reward:
            points.award(
                user=registration.user,
                amount=event.points_reward,
                reason=f"参加活动「{event.title}」"[:100],
                idempotency_key=f"event-attend-{registration.pk}",
                source=registration,
            )
            points_awarded = event.points_reward
        outcome = Outcome.CHECKED_IN
    return CheckInScan.objects.create(
        event=event,
        registration=registration,
        ticket=ticket[:200],
        nonce=nonce,
        outcome=outcome,
        points_awarded=points_awarded,
        scanned_by=staff,
    )


# --- feedback ---------------------------------------------------------------------------------


@transaction.atomic
def feedback_create(*, event: Event, user, rating: int, comment: str = "") -> Feedback:
    registration = Registration.objects.filter(event=event, user=user, status=R.ATTENDED).first()
    if registration is None:
        raise NotAttended()
    if not 1 <= rating <= 5:
        raise _invalid("rating", "评分为 1–5")
    if Feedback.objects.filter(registration=registration).exists():
        raise FeedbackExists()
    try:
        with transaction.atomic():
            return Feedback.objects.create(registration=registration, event=event, rating=rating, comment=comment)
    except IntegrityError as exc:
        raise FeedbackExists() from exc


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
    EventStatusChange.objects.create(event=event, from_status="", to_status=event.status, actor=created_by, note="创建")
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
    return event_transition(event=event, to=Event.Status.PUBLISHED, actor=actor, note="发布")


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    """Cancel the event: every open registration is cancelled and told why; the venue is released."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    event_transition(event=event, to=Event.Status.CANCELLED, actor=actor, note=reason)
    event.cancel_reason = reason[:200]
    event.save(update_fields=["cancel_reason", "updated_at"])
    open_registrations = list(
        Registration.objects.select_for_update().filter(event=event, status__in=(R.CONFIRMED, R.WAITLISTED))
    )
    user_ids = [r.user_id for r in open_registrations]
    _bulk_transition(open_registrations, to=R.CANCELLED, actor=actor, note=f"活动取消：{reason}")
    VenueBooking.objects.filter(session__event=event, status=VenueBooking.Status.ACTIVE).update(
        status=VenueBooking.Status.CANCELLED, cancelled_at=timezone.now(), updated_at=timezone.now()
    )
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
    event_transition(event=event, to=Event.Status.FINISHED, note="活动结束（自动）")
    absent = list(Registration.objects.select_for_update().filter(event=event, status=R.CONFIRMED))
    _bulk_transition(absent, to=R.NO_SHOW, note="活动结束时未签到")
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
    return booking


def may_book(*, venue: Venue, user) -> bool:
    """Staff of the venue's community always; its residents when the venue takes residents' bookings."""
    roles = [Role.COMMUNITY_STAFF, *([Role.RESIDENT] if venue.residents_may_book else [])]
    return Membership.objects.filter(user=user, community_id=venue.community_id, role__in=roles).exists()


def opening_intervals(venue: Venue, day) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    return [
        (datetime.combine(day, h.opens_at, tz), datetime.combine(day, h.closes_at, tz))
        for h in venue.opening_hours.all()
        if h.weekday == day.weekday()
    ]


@transaction.atomic
def venue_booking_create(*, venue: Venue, user, starts_at: datetime, ends_at: datetime, purpose: str) -> VenueBooking:
    """Book a slot inside the venue's opening hours. Overlapping an active booking or event is 409 slot_taken."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    if not venue.is_active:
        raise NotFoundError()
    if not may_book(venue=venue, user=user):
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
    return _insert_booking(
        VenueBooking(venue=venue, booked_by=user, starts_at=starts_at, ends_at=ends_at, purpose=purpose)
    )


@transaction.atomic
def venue_booking_cancel(*, booking: VenueBooking, actor) -> VenueBooking:
    booking = VenueBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.session_id is not None:
        raise ConflictError("该时段由活动占用，请修改或取消活动", code="event_booking")
    if booking.status != VenueBooking.Status.ACTIVE:
        raise InvalidTransition("预约已取消")
    if booking.starts_at <= timezone.now():
        raise ConflictError("预约已开始，不能取消", code="booking_started")
    booking.status = VenueBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    logger.info("venue booking %s cancelled by user %s", booking.pk, getattr(actor, "pk", None))
    return booking


def day_bounds(day) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tz)
    return start, start + timedelta(days=1)
