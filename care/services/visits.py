"""Visits to elders living alone (独居/空巢): the weekly roster, each week's visits generated once,
check-in and check-out like a care order, and a visit not done by the end of its day escalated to
the community staff, once."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from care import checkin, selectors
from care.models import Visit, VisitPlan
from linli.accounts.models import User
from linli.api.errors import ForbiddenError, InvalidTransition, field_error
from linli.notifications.services import notify
from linli.workflow import check, transition

A = Visit.Action
S = Visit.Status


def _staff_of(by: User, community_id: int) -> None:
    if not (by.is_superuser or community_id in selectors.staff_community_ids(by)):
        raise ForbiddenError("只有本社区工作人员可以安排探访")


@transaction.atomic
def visit_plan_create(*, by: User, elder: User, visitor: User, weekday: int, note: str = "") -> VisitPlan:
    """Staff put a weekly visit on the roster: the elder's home in one of their communities."""
    home = None
    for community_id in sorted(selectors.staff_community_ids(by)) if not by.is_superuser else []:
        home = selectors.home_of(elder, community_id)
        if home is not None:
            break
    if by.is_superuser and home is None:
        from linli.regions.households import households_of

        home = households_of(elder).first()
    if home is None:
        raise field_error("elder", "该老人不是本社区的认证住户")
    if not visitor.is_active:
        raise field_error("visitor", "探访人账号不可用")
    community_id = home.building.estate.community_id
    _staff_of(by, community_id)
    if VisitPlan.objects.filter(elder=elder, visitor=visitor, weekday=weekday, is_active=True).exists():
        raise field_error("weekday", "该探访人已在这一天排班")
    plan = VisitPlan.objects.create(
        community_id=community_id, elder=elder, room=home, visitor=visitor, weekday=weekday, note=note, created_by=by
    )
    visits_generate(plans=VisitPlan.objects.filter(pk=plan.pk))
    return plan


@transaction.atomic
def visit_plan_end(*, by: User, plan: VisitPlan) -> VisitPlan:
    """Take a plan off the roster; its visits still to come are dropped, the past ones stay."""
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    _staff_of(by, plan.community_id)
    plan.is_active = False
    plan.save(update_fields=["is_active", "updated_at"])
    Visit.objects.filter(plan=plan, status=S.PLANNED, date__gte=timezone.localdate()).delete()
    return plan


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def visits_generate(*, today: date | None = None, plans=None, weeks: int = 2) -> int:
    """This week's and next week's visit of every active plan, from today on. Idempotent: one visit per
    plan and day (a unique constraint), so running it again, or concurrently, adds nothing."""
    today = today or timezone.localdate()
    plans = (plans if plans is not None else VisitPlan.objects.all()).filter(is_active=True)
    rows = []
    for plan in plans.only("pk", "community_id", "elder_id", "room_id", "visitor_id", "weekday"):
        for week in range(weeks):
            day = week_start(today) + timedelta(days=7 * week + plan.weekday)
            if day >= today:
                rows.append(
                    Visit(
                        plan_id=plan.pk,
                        community_id=plan.community_id,
                        elder_id=plan.elder_id,
                        room_id=plan.room_id,
                        visitor_id=plan.visitor_id,
                        date=day,
                    )
                )
    before = Visit.objects.filter(plan__in=plans).count()
    Visit.objects.bulk_create(rows, ignore_conflicts=True)
    return Visit.objects.filter(plan__in=plans).count() - before


def _locked_for_visitor(visit: Visit, visitor: User) -> Visit:
    visit = Visit.objects.select_for_update().select_related("room__building__estate").get(pk=visit.pk)
    if visit.visitor_id != visitor.pk:
        raise ForbiddenError("只有排班的探访人可以签到")
    return visit


@transaction.atomic
def visit_check_in(*, visit: Visit, visitor: User, latitude=None, longitude=None, door_code: str = "") -> Visit:
    visit = _locked_for_visitor(visit, visitor)
    check(visit, A.CHECK_IN)
    if visit.date != timezone.localdate():
        raise InvalidTransition(f"这次探访排在 {visit.date:%m月%d日}，只能当天签到", extra={"status": visit.status})
    proof = checkin.verify(visit.room, latitude=latitude, longitude=longitude, code=door_code)
    transition(
        visit,
        A.CHECK_IN,
        actor=visitor,
        locked=True,
        checked_in_at=timezone.now(),
        check_in_method=proof.method,
        check_in_distance_m=proof.distance_m,
    )
    return visit


@transaction.atomic
def visit_check_out(*, visit: Visit, visitor: User, notes: str) -> Visit:
    visit = _locked_for_visitor(visit, visitor)
    transition(
        visit, A.CHECK_OUT, actor=visitor, locked=True, note=notes[:200], checked_out_at=timezone.now(), notes=notes
    )
    return visit


@transaction.atomic
def visit_escalate(*, visit: Visit, now: datetime | None = None) -> bool:
    """Mark one overdue visit missed and tell its community staff — unless it was done or told already."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().filter(pk=visit.pk).first()
    if visit is None or visit.status not in (S.PLANNED, S.IN_PROGRESS) or visit.escalated_at is not None:
        return False
    if visit.date >= timezone.localdate(now):
        return False
    transition(visit, A.MISS, locked=True, note="当天未完成探访，已上报社区", escalated_at=now)
    elder = visit.elder
    notify(
        selectors.community_staff_of(visit.community_id),
        "care.visit_missed",
        "独居老人探访逾期",
        f"{visit.date:%m月%d日} {visit.visitor} 未完成对 {elder} 的探访，请尽快联系老人",
        link=f"/admin/care/visit/{visit.pk}/change/",
        data={"visit": visit.pk},
        dedupe_key=f"care-visit:{visit.pk}:missed",
    )
    return True


def visits_escalate_missed(*, now: datetime | None = None) -> int:
    """Beat: every visit not done by the end of its day, each in its own transaction (re-locked, re-checked)."""
    now = now or timezone.now()
    day_start = datetime.combine(timezone.localdate(now), time.min, timezone.get_current_timezone())
    overdue = Visit.objects.filter(
        status__in=(S.PLANNED, S.IN_PROGRESS), escalated_at__isnull=True, date__lt=day_start.date()
    ).order_by("date", "pk")
    return sum(visit_escalate(visit=Visit(pk=pk), now=now) for pk in list(overdue.values_list("pk", flat=True)[:1000]))
