"""Registration, seats, eligibility, waitlist promotion, check-in and feedback."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from linli import workflow
from linli.accounts.models import Membership, Role
from linli.family.acting import record_act
from linli.notifications.services import notify
from linli.points import services as points
from linli.workflow import record_step

from ..models import (
    CheckInScan,
    Event,
    Feedback,
    Registration,
    SeatRelease,
    WaitlistDecision,
)
from . import attendance
from .errors import (
    AlreadyRegistered,
    CancellationClosed,
    CheckOutNotUsed,
    EventFull,
    EventNotOpenForCheckIn,
    FeedbackExists,
    NonceReused,
    NotAttended,
    NotEligible,
    RegistrationClosed,
    _invalid,
)

R = Registration.Status
A = Registration.Action


# --- state machines ---------------------------------------------------------------------------


def _registration_step(registration: Registration, action: str, *, actor=None, note: str = ""):
    """Apply `action` to a registration whose row the caller locked in this transaction."""
    now = timezone.now()
    changes = {
        A.CANCEL: {"cancelled_at": now},
        A.PROMOTE: {"confirmed_at": now},
        A.CHECK_IN: {"checked_in_at": now, "checked_in_by": actor},
    }.get(action, {})
    return workflow.transition(registration, action, actor=actor, note=note, locked=True, **changes)


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
def registration_create(*, event: Event, user, attendees: int = 1, acted_by=None) -> Registration:
    """Register `user` (and family: `attendees` people) → confirmed, or waitlisted when full.

    `acted_by`: the family member registering for `user` (亲情账号, already checked by the view)."""
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
                acted_by=acted_by,
            )
    except IntegrityError as exc:  # a concurrent request of the same user won
        raise AlreadyRegistered() from exc
    record_step(
        registration, A.REGISTER, actor=acted_by or user, note="家属代报名" if acted_by else "报名", from_status=""
    )
    record_act(
        actor=acted_by, beneficiary=user, kind="events.registration", obj=registration, summary=f"报名「{event.title}」"
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, note: str = "", acted_by=None) -> Registration:
    """The resident cancels (until the event's cancellation deadline); freed seats go to the waitlist.
    `acted_by`: the family member cancelling for them (亲情账号), also the `actor`."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    # A registration that cannot be cancelled any more says so (409 invalid_transition) before the deadline does.
    if workflow.can(registration, A.CANCEL) and timezone.now() > event.effective_cancellation_deadline:
        raise CancellationClosed()
    held_seats = registration.status == R.CONFIRMED
    _registration_step(
        registration, A.CANCEL, actor=actor, note=note or ("家属代取消报名" if acted_by else "本人取消报名")
    )
    record_act(
        actor=acted_by,
        beneficiary=registration.user,
        kind="events.registration_cancel",
        obj=registration,
        summary=f"取消报名「{event.title}」",
    )
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
            _registration_step(registration, A.PROMOTE, note=f"候补递补（{release.get_cause_display()}）")
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
def registration_check_in(
    *, event: Event, ticket: str, staff, nonce: str = "", direction: str = CheckInScan.Direction.IN
) -> CheckInResult:
    """Scan a ticket at `event`: a confirmed registration becomes attended (points awarded once).

    Events that track sessions (volunteering, courses) also check in to the session open now, once per
    session, and volunteers check out (`direction="out"`, hours credited: services/attendance.py).
    Every scan is recorded with its outcome. A scan with a `nonce` seen before for this event replays
    that first outcome (a retried request after a lost answer); the same nonce with another ticket is
    409 nonce_reused. The caller turns a non-success outcome into its error (SCAN_ERRORS).
    """
    nonce = (nonce or "").strip()
    if nonce:
        first = _scan_with_nonce(event, nonce, ticket)
        if first is not None:
            return CheckInResult(first, replayed=True)
    if direction == CheckInScan.Direction.OUT:
        if not event.is_volunteering:
            raise CheckOutNotUsed()
        # A volunteer may check out after the last session ended and the beat finished the event.
        if event.status not in (Event.Status.PUBLISHED, Event.Status.FINISHED):
            raise EventNotOpenForCheckIn(f"活动{event.get_status_display()}，不能签退")
    elif event.status != Event.Status.PUBLISHED:
        raise EventNotOpenForCheckIn(f"活动{event.get_status_display()}，不能签到")
    try:
        with transaction.atomic():
            return CheckInResult(_scan(event, ticket, staff, nonce, direction), replayed=False)
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


def _scan(event: Event, ticket: str, staff, nonce: str, direction: str = CheckInScan.Direction.IN) -> CheckInScan:
    Outcome = CheckInScan.Outcome
    ticket = ticket.strip()
    registration, points_awarded, session = None, 0, None
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
    elif registration.status == R.CANCELLED:
        outcome = Outcome.CANCELLED
    elif registration.status == R.WAITLISTED:
        outcome = Outcome.WAITLISTED
    elif direction == CheckInScan.Direction.OUT:
        result = attendance.session_check_out(event=event, registration=registration, staff=staff)
        outcome, session = result.outcome, result.session
    elif registration.status == R.NO_SHOW:
        outcome = Outcome.NO_SHOW
    elif event.tracks_sessions:
        result = attendance.session_check_in(event=event, registration=registration, staff=staff)
        outcome, session = result.outcome, result.session
        if result.first_of_registration:
            points_awarded = _mark_attended(event, registration, staff)
    elif registration.status == R.ATTENDED:
        outcome = Outcome.ALREADY_CHECKED_IN
    else:
        points_awarded = _mark_attended(event, registration, staff)
        outcome = Outcome.CHECKED_IN
    return CheckInScan.objects.create(
        event=event,
        registration=registration,
        session=session,
        direction=direction,
        ticket=ticket[:200],
        nonce=nonce,
        outcome=outcome,
        points_awarded=points_awarded,
        scanned_by=staff,
    )


def _mark_attended(event: Event, registration: Registration, staff) -> int:
    """The registration's first check-in: confirmed → attended, and the event's attendance points once."""
    _registration_step(registration, A.CHECK_IN, actor=staff, note="扫码签到")
    if not event.points_reward:
        return 0
    points.award(
        user=registration.user,
        amount=event.points_reward,
        reason=f"参加活动「{event.title}」"[:100],
        idempotency_key=f"event-attend-{registration.pk}",
        source=registration,
    )
    return event.points_reward


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
