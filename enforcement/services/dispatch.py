"""Duty dispatch (值班派单): a report dispatched to a squad is offered to its on-duty officer nearest
the report; the officer accepts within the squad's time (`Team.accept_minutes`, else
ENFORCEMENT_OFFER_ACCEPT_MINUTES) or the beat job offers it to the next nearest. Every offer, accept,
decline, timeout and reassignment is a step of the report's timeline.

Who wins between an officer accepting and the job timing the offer out is decided by the database:
the report row is locked first (the order every report write uses), then one conditional UPDATE of
the offer row (`status = pending`, and for an accept `expires_at > now`) settles it.

    offer_first     after a dispatch: withdraw a pending offer, offer to the nearest on duty
    offer_accept    the offered officer accepts (受理): the report is theirs
    offer_decline   the offered officer declines: the next one gets it now
    offers_expire   beat: offers past their time go to the next officer
    officer_position_set  the officer's app posts where they are
    shift_create    a dispatcher or the squad's leader puts officers on duty
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from enforcement import conf, selectors
from enforcement.models import DispatchOffer, OfficerPosition, ProblemReport, Shift, Team
from enforcement.services._common import field_error
from enforcement.services.reports._shared import Action, Status, lock_report, move, record_event
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError
from linli.notifications.services import notify

Offer = DispatchOffer.Status


class OfferClosed(ConflictError):
    code = "offer_closed"
    default_message = "该派单已被处理（已接单、超时转派或已撤回）"


def accept_window(team: Team) -> timedelta:
    return timedelta(minutes=team.accept_minutes or conf.offer_accept_minutes())


def _close_pending(report: ProblemReport, status: str, now: datetime) -> int:
    return DispatchOffer.objects.filter(report=report, status=Offer.PENDING).update(status=status, decided_at=now)


def _offer_next(report: ProblemReport, *, now: datetime, first: bool) -> DispatchOffer | None:
    """Offer a locked, dispatched report to the nearest on-duty officer of its team not offered it yet
    since this dispatch; with nobody left, a timeline step says so and the team leaders are told."""
    team = report.team
    if team is None or team.kind != Team.Kind.TOWNSHIP_TEAM or report.status != Status.DISPATCHED:
        return None
    already = DispatchOffer.objects.filter(report=report, team=team, offered_at__gte=report.dispatched_at)
    candidates = selectors.duty_candidates(report, team, now, exclude=already.values_list("officer_id", flat=True))
    if not candidates:
        if first and not selectors.on_duty_officer_ids(team.pk, now):
            return None  # no roster for this squad now: the team is told as before dispatch offers existed
        record_event(report, Action.NO_OFFICER, actor=None, note="当前值班人员均未接单，请队长指派", internal=True)
        notify(
            selectors.leader_ids(team.pk),
            "enforcement.offer",
            "值班派单无人接单",
            f"线索 #{report.pk} 无值班人员接单，请指派。",
            link=f"/staff/enforcement/reports/{report.pk}",
            data={"report": report.pk},
            dedupe_key=f"enforcement:report:{report.pk}:no-officer:{report.dispatched_at:%s}",
        )
        return None
    best = candidates[0]
    offer = DispatchOffer.objects.create(
        report=report,
        team=team,
        officer_id=best.officer_id,
        distance_m=best.distance_m,
        position_source=best.source,
        offered_at=now,
        expires_at=now + accept_window(team),
    )
    name = str(User.objects.only("display_name", "username").get(pk=best.officer_id))
    where = f"，距离约 {best.distance_m / 1000:.1f} 公里" if best.distance_m is not None else ""
    limit = f"{timezone.localtime(offer.expires_at):%H:%M} 前接单"
    record_event(
        report, Action.OFFER if first else Action.REASSIGN, actor=None, note=f"派单给值班人员 {name}{where}，{limit}"
    )
    notify(
        [best.officer_id],
        "enforcement.offer",
        "值班派单",
        f"线索 #{report.pk} {report.category.name}：请于 {limit}。",
        link=f"/staff/enforcement/offers/{offer.pk}",
        data={"report": report.pk, "offer": offer.pk},
        dedupe_key=f"enforcement:offer:{offer.pk}",
    )
    return offer


def offer_first(report: ProblemReport, *, now: datetime | None = None) -> DispatchOffer | None:
    """Called by every dispatch of a locked report: a pending offer (of an earlier dispatch) is
    withdrawn and the nearest on-duty officer of the new team gets it."""
    now = now or timezone.now()
    _close_pending(report, Offer.WITHDRAWN, now)
    return _offer_next(report, now=now, first=True)


def offers_settle_on_accept(report: ProblemReport, *, actor: User, now: datetime) -> None:
    """A team officer accepted the report directly: their pending offer counts as accepted, anyone
    else's is withdrawn (the report row is locked by the caller)."""
    DispatchOffer.objects.filter(report=report, status=Offer.PENDING, officer=actor).update(
        status=Offer.ACCEPTED, decided_at=now
    )
    _close_pending(report, Offer.WITHDRAWN, now)


@transaction.atomic
def offer_accept(*, offer: DispatchOffer, actor: User, note: str = "") -> DispatchOffer:
    """The offered officer accepts: first wins against the timeout job and the other accepts."""
    if offer.officer_id != actor.pk:
        raise ForbiddenError("只有被派单的执法人员可以接单", code="not_offered")
    now = timezone.now()
    report = lock_report(offer.report)
    won = DispatchOffer.objects.filter(
        pk=offer.pk, officer=actor, status=Offer.PENDING, expires_at__gt=now, team_id=report.team_id
    ).update(status=Offer.ACCEPTED, decided_at=now)
    if not won:
        raise OfferClosed()
    move(report, Action.ACCEPT, actor=actor, note=note or "值班接单", assignee=actor)
    offer.refresh_from_db()
    return offer


@transaction.atomic
def offer_decline(*, offer: DispatchOffer, actor: User, reason: str) -> DispatchOffer:
    if offer.officer_id != actor.pk:
        raise ForbiddenError("只有被派单的执法人员可以拒绝", code="not_offered")
    now = timezone.now()
    report = lock_report(offer.report)
    if not DispatchOffer.objects.filter(pk=offer.pk, status=Offer.PENDING).update(
        status=Offer.DECLINED, decided_at=now
    ):
        raise OfferClosed()
    record_event(report, Action.OFFER_DECLINED, actor=actor, note=reason, internal=True)
    _offer_next(report, now=now, first=False)
    offer.refresh_from_db()
    return offer


@transaction.atomic
def offer_expire(*, offer_id: int, now: datetime | None = None) -> bool:
    """Time an offer out if it is still pending past its time, and offer the report to the next
    officer. Idempotent: an offer already decided is left alone."""
    now = now or timezone.now()
    offer = DispatchOffer.objects.filter(pk=offer_id).select_related("report").first()
    if offer is None:
        return False
    report = lock_report(offer.report)
    if not DispatchOffer.objects.filter(pk=offer.pk, status=Offer.PENDING, expires_at__lte=now).update(
        status=Offer.EXPIRED, decided_at=now
    ):
        return False
    name = str(User.objects.only("display_name", "username").get(pk=offer.officer_id))
    record_event(report, Action.OFFER_TIMEOUT, actor=None, note=f"{name} 未在时限内接单", internal=True)
    if report.status == Status.DISPATCHED and report.team_id == offer.team_id:
        _offer_next(report, now=now, first=False)
    return True


def offers_expire(now: datetime | None = None) -> int:
    """Beat: every offer past its time, each in its own transaction."""
    now = now or timezone.now()
    due = DispatchOffer.objects.filter(status=Offer.PENDING, expires_at__lte=now).values_list("pk", flat=True)
    return sum(offer_expire(offer_id=pk, now=now) for pk in list(due[:500]))


@transaction.atomic
def officer_position_set(*, actor: User, lat, lng, accuracy_m: int | None = None) -> OfficerPosition:
    if not selectors.team_ids_of(actor):
        raise ForbiddenError("只有执法人员可以上报位置", code="not_team_member")
    position, _ = OfficerPosition.objects.update_or_create(
        user=actor, defaults={"lat": lat, "lng": lng, "accuracy_m": accuracy_m, "reported_at": timezone.now()}
    )
    return position


@transaction.atomic
def shift_create(
    *, actor: User, team: Team, date, starts_at: datetime, ends_at: datetime, officers, note: str = ""
) -> Shift:
    """Put officers of a squad on duty: dispatchers for any squad, a leader for their own."""
    if not (selectors.is_dispatcher(actor) or selectors.is_leader_of(actor, team.pk)):
        raise ForbiddenError("只有调度员或本中队队长可以排班", code="not_leader")
    if ends_at <= starts_at:
        raise field_error("ends_at", "结束时间须晚于开始时间")
    members = set(selectors.officer_ids(team.pk))
    strangers = [u.pk for u in officers if u.pk not in members]
    if strangers or not officers:
        raise field_error("officers", "值班人员须为本中队执法人员")
    shift = Shift.objects.create(team=team, date=date, starts_at=starts_at, ends_at=ends_at, note=note)
    shift.officers.set(officers)
    return shift
