"""The problem-report loop: 上报 → 派遣 → 受理 → 处置 → 反馈 → 办结.

Reports move only through `_apply()`, which checks the transition table, sets the new status and
writes a history row (who, when, from, to, note, internal or not). Routing follows the
township empowerment lists; overdue reports escalate to the team leader, then the district.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement import conf, selectors
from enforcement.models import Category, Matter, ProblemReport, ReportEvent, ReportFollower, ReportRequest, Team
from enforcement.services._common import check_photos, field_error
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError, InvalidTransition, NotFoundError
from linli.notifications.services import notify
from linli.uploads.models import Upload
from linli.uploads.services import attachments_add, attachments_set

Status = ProblemReport.Status
Action = ReportEvent.Action
Outcome = ProblemReport.Outcome

# action → (states it may start from, state it leads to). Anything else is 409 invalid_transition.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.DISPATCH: (frozenset({Status.REPORTED}), Status.DISPATCHED),
    Action.REROUTE: (frozenset(ProblemReport.WORKING_STATUSES), Status.DISPATCHED),
    Action.ACCEPT: (frozenset({Status.DISPATCHED}), Status.ACCEPTED),
    Action.HANDLE: (frozenset({Status.ACCEPTED}), Status.HANDLING),
    Action.OUTCOME: (frozenset({Status.HANDLING}), Status.RESOLVED),
    Action.FEEDBACK: (frozenset({Status.RESOLVED}), Status.FEEDBACK),
    Action.CLOSE: (frozenset({Status.FEEDBACK}), Status.CLOSED),
    Action.MERGE: (frozenset(ProblemReport.OPEN_STATUSES), Status.MERGED),
    Action.RETURN_APPROVED: (frozenset(ProblemReport.WORKING_STATUSES), Status.REPORTED),
}


class PossibleDuplicate(ConflictError):
    code = "possible_duplicate"
    default_message = "附近已有相同问题的上报，可直接关注其处理进展"


class RequestPending(ConflictError):
    code = "request_pending"
    default_message = "该线索已有待审批的申请"


def _lock(report: ProblemReport) -> ProblemReport:
    return ProblemReport.objects.select_for_update().get(pk=report.pk)


def record_event(
    report: ProblemReport,
    action: str,
    *,
    from_status: str,
    actor: User | None,
    note: str = "",
    internal: bool = False,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        actor=actor,
        team_id=report.team_id,
        note=note[:500],
        internal=internal,
    )


def _apply(report: ProblemReport, action: str, *, actor: User | None, note: str = "", **changes) -> ReportEvent:
    """Apply `action` to a locked report: check the table, set status and `changes`, record it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("report transitions must run inside a transaction")
    sources, target = TRANSITIONS[action]
    if report.status not in sources:
        raise InvalidTransition(f"线索{report.get_status_display()}，不能{Action(action).label}")
    from_status = report.status
    report.status = target
    for field, value in changes.items():
        setattr(report, field, value)
    report.save()
    return record_event(report, action, from_status=from_status, actor=actor, note=note)


def _tell_team(report: ProblemReport, title: str, body: str, *, key: str) -> None:
    if report.team_id is None:
        return
    notify(
        selectors.officer_ids(report.team_id),
        "enforcement.report",
        title,
        body,
        link=f"/staff/enforcement/reports/{report.pk}",
        data={"report": report.pk, "status": report.status},
        dedupe_key=f"enforcement:report:{report.pk}:{key}",
    )


def _tell_dispatchers(report: ProblemReport, title: str, body: str, *, key: str) -> None:
    notify(
        selectors.dispatcher_ids(),
        "enforcement.dispatch",
        title,
        body,
        link=f"/staff/enforcement/reports/{report.pk}",
        data={"report": report.pk, "status": report.status},
        dedupe_key=f"enforcement:report:{report.pk}:{key}",
    )


def _summary(report: ProblemReport) -> str:
    where = report.address or (str(report.street) if report.street_id else "")
    return f"{report.category.name}：{report.description[:60]}" + (f"（{where}）" if where else "")


# --- permissions -------------------------------------------------------------------------------


def _require_dispatcher(actor: User) -> None:
    if not selectors.is_dispatcher(actor):
        raise ForbiddenError("只有区指挥中心调度员可以执行此操作", code="not_dispatcher")


def _require_team_officer(actor: User, report: ProblemReport) -> None:
    if selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, report.team_id):
        return
    raise ForbiddenError("只有承办队伍的执法人员可以执行此操作", code="not_team_officer")


# --- filing and routing ------------------------------------------------------------------------


def _deadline(report: ProblemReport, now):
    return now + report.matter.deadline


def _dispatch_to(report: ProblemReport, team: Team, *, actor: User | None, action: str, note: str) -> ReportEvent:
    now = timezone.now()
    event = _apply(
        report,
        action,
        actor=actor,
        note=note,
        team=team,
        assignee=None,
        dispatched_at=now,
        deadline_at=now + report.matter.deadline,
        escalation_level=0,
    )
    _tell_team(
        report,
        "新的派遣线索" if action == Action.DISPATCH else "改派线索",
        f"{_summary(report)}，请于 {timezone.localtime(report.deadline_at):%m-%d %H:%M} 前处置。",
        key=f"event:{event.pk}",
    )
    return event


def _route(report: ProblemReport) -> None:
    """Send a new report to the team responsible for its matter at its place, or to the dispatchers."""
    day = timezone.localdate(report.created_at)
    team = selectors.responsible_team(matter=report.matter, street_id=report.street_id, day=day)
    if team is None:
        _tell_dispatchers(report, "待人工派遣的线索", _summary(report), key="unrouted")
        return
    how = "按赋权清单派至乡镇（街道）综合执法队" if team.kind == Team.Kind.TOWNSHIP_TEAM else "按事项领域派至区级部门"
    _dispatch_to(report, team, actor=None, action=Action.DISPATCH, note=f"自动派遣：{how}「{team.name}」")


@transaction.atomic
def report_create(
    *,
    channel: str,
    category: Category,
    description: str,
    photos: Sequence[Upload] = (),
    external_media_url: str = "",
    lat=None,
    lng=None,
    address: str = "",
    street=None,
    reporter: User | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    device=None,
    open311_client=None,
    matter: Matter | None = None,
) -> ProblemReport:
    """File a report from any channel and route it. Callers check duplicates first when they offer it,
    and that `photos` are the filer's own uploads; a URL from outside (Open311, a camera) is only
    kept as text in `external_media_url`."""
    if (lat is None) != (lng is None):
        raise field_error("lat", "经纬度须同时提供")
    if street is None and lat is not None:
        street = selectors.street_near(lat, lng)
    report = ProblemReport.objects.create(
        channel=channel,
        category=category,
        matter=matter or category.matter,
        description=description,
        external_media_url=external_media_url,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        reporter=reporter,
        contact_name=contact_name,
        contact_phone=contact_phone,
        device=device,
        open311_client=open311_client,
    )
    attachments_set(report, "photos", photos)
    record_event(report, Action.REPORT, from_status="", actor=reporter, note=report.get_channel_display())
    _route(report)
    return report


def _duplicates_payload(nearby) -> list[dict]:
    return [
        {
            "id": n.report.pk,
            "category": n.report.category.name,
            "description": n.report.description[:100],
            "status": n.report.status,
            "distance_m": round(n.distance_m, 1),
            "reported_at": timezone.localtime(n.report.created_at).isoformat(),
        }
        for n in nearby
    ]


@transaction.atomic
def report_submit(
    *,
    reporter: User,
    category: Category,
    description: str,
    lat,
    lng,
    address: str = "",
    photos: Sequence[Upload] = (),
    street=None,
    ignore_duplicates: bool = False,
) -> ProblemReport:
    """A resident reports a problem. An open report of the same category within ~50 m is offered
    instead (409 possible_duplicate with `duplicates`), unless the resident insists."""
    if not category.is_public:
        raise field_error("category", "该分类不接受居民上报")
    photos = check_photos(reporter, photos)
    if not ignore_duplicates:
        nearby = selectors.reports_nearby(category_id=category.pk, lat=lat, lng=lng)
        if nearby:
            raise PossibleDuplicate(extra={"duplicates": _duplicates_payload(nearby[:5])})
    return report_create(
        channel=ProblemReport.Channel.RESIDENT,
        category=category,
        description=description,
        photos=photos,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        reporter=reporter,
    )


@transaction.atomic
def report_file_by_staff(
    *,
    actor: User,
    channel: str,
    category: Category,
    description: str,
    lat=None,
    lng=None,
    address: str = "",
    street=None,
    photos: Sequence[Upload] = (),
    contact_name: str = "",
    contact_phone: str = "",
) -> ProblemReport:
    """Grid workers and patrols file what they see; the command centre enters 12345 hotline calls."""
    if channel == ProblemReport.Channel.HOTLINE and not selectors.is_dispatcher(actor):
        raise ForbiddenError("12345 热线工单由区指挥中心录入", code="not_dispatcher")
    if lat is None and street is None:
        raise field_error("street", "请提供位置（经纬度）或所属乡镇（街道）")
    photos = check_photos(actor, photos)
    return report_create(
        channel=channel,
        category=category,
        description=description,
        photos=photos,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        reporter=actor,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )


# --- the loop ----------------------------------------------------------------------------------


@transaction.atomic
def report_dispatch(*, report: ProblemReport, actor: User, team: Team, note: str = "") -> ProblemReport:
    _require_dispatcher(actor)
    report = _lock(report)
    if not team.is_active:
        raise field_error("team", "该队伍已停用")
    _dispatch_to(report, team, actor=actor, action=Action.DISPATCH, note=note or f"派遣至「{team.name}」")
    return report


@transaction.atomic
def report_reroute(
    *, report: ProblemReport, actor: User, team: Team, reason: str, matter: Matter | None = None
) -> ProblemReport:
    """The dispatcher sends a report to another team (and maybe another matter), with a reason."""
    _require_dispatcher(actor)
    report = _lock(report)
    if team.pk == report.team_id and (matter is None or matter.pk == report.matter_id):
        raise field_error("team", "已由该队伍承办")
    if matter is not None:
        report.matter = matter
    _dispatch_to(report, team, actor=actor, action=Action.REROUTE, note=f"改派至「{team.name}」：{reason}")
    return report


@transaction.atomic
def report_accept(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    report = _lock(report)
    _require_team_officer(actor, report)
    _apply(report, Action.ACCEPT, actor=actor, note=note, assignee=actor)
    return report


@transaction.atomic
def report_handle(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    report = _lock(report)
    _require_team_officer(actor, report)
    _apply(report, Action.HANDLE, actor=actor, note=note)
    return report


@transaction.atomic
def report_outcome(
    *,
    report: ProblemReport,
    actor: User,
    outcome: str,
    note: str = "",
    photos: Sequence[Upload] = (),
    case: dict | None = None,
) -> ProblemReport:
    """Record how it was handled. `case_filed` files a case from the report unless one exists.
    `photos` (the officer's own uploads, after photos) are added after the report's."""
    from enforcement.services.cases import case_file

    report = _lock(report)
    _require_team_officer(actor, report)
    needs_case = outcome == Outcome.CASE_FILED and not report.cases.exists()
    if needs_case and not case:
        raise field_error("case", "立案须提供当事人与违法事实")
    photos = check_photos(actor, photos, already=report.photo_links.count()) if photos else []
    _apply(
        report,
        Action.OUTCOME,
        actor=actor,
        note=note,
        outcome=outcome,
        outcome_note=note,
        resolved_at=timezone.now(),
    )
    attachments_add(report, "photos", photos)
    if needs_case:
        case_file(actor=actor, matter=report.matter, team=report.team, report=report, **case)
    return report


def _audience(report: ProblemReport) -> list[int]:
    ids = list(ReportFollower.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id and report.channel in (ProblemReport.Channel.RESIDENT, ProblemReport.Channel.OPEN311):
        ids.insert(0, report.reporter_id)
    return list(dict.fromkeys(ids))


@transaction.atomic
def report_feedback(*, report: ProblemReport, actor: User, feedback: str) -> ProblemReport:
    """Tell the reporter and every follower (including reporters of merged duplicates) the outcome."""
    report = _lock(report)
    _require_team_officer(actor, report)
    _apply(report, Action.FEEDBACK, actor=actor, feedback=feedback)
    notify(
        _audience(report),
        "enforcement.feedback",
        "您关注的问题已处理",
        f"{report.category.name}：{report.get_outcome_display()}。{feedback}",
        link=f"/pages/enforcement/reports/detail?id={report.pk}",
        data={"report": report.pk, "outcome": report.outcome},
        dedupe_key=f"enforcement:report:{report.pk}:feedback",
    )
    return report


@transaction.atomic
def report_close(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    report = _lock(report)
    _require_team_officer(actor, report)
    _apply(report, Action.CLOSE, actor=actor, note=note, closed_at=timezone.now())
    return report


@transaction.atomic
def report_rate(*, report: ProblemReport, user: User, rating: int, comment: str = "") -> ProblemReport:
    report = _lock(report)
    if report.reporter_id != user.pk:
        raise NotFoundError()
    if report.status not in (Status.FEEDBACK, Status.CLOSED):
        raise InvalidTransition("处理结果反馈后才能评价")
    if report.rating is not None:
        raise ConflictError("已评价过", code="already_rated")
    report.rating, report.rating_comment = rating, comment
    report.save(update_fields=["rating", "rating_comment", "updated_at"])
    record_event(report, Action.RATE, from_status=report.status, actor=user, note=f"{rating} 星")
    return report


@transaction.atomic
def report_follow(*, report: ProblemReport, user: User) -> ProblemReport:
    if report.reporter_id == user.pk:
        return report
    try:
        with transaction.atomic():
            ReportFollower.objects.create(report=report, user=user)
    except IntegrityError:
        pass  # already following
    return report


@transaction.atomic
def report_unfollow(*, report: ProblemReport, user: User) -> None:
    ReportFollower.objects.filter(report=report, user=user).delete()


@transaction.atomic
def report_merge(*, report: ProblemReport, into: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    """Merge a duplicate into the report that goes on: its reporter and followers follow that one."""
    if report.pk == into.pk:
        raise field_error("into", "不能合并到自身")
    first, second = sorted([report.pk, into.pk])
    locked = {r.pk: r for r in ProblemReport.objects.select_for_update().filter(pk__in=[first, second])}
    report, into = locked[report.pk], locked[into.pk]
    if not (
        selectors.is_dispatcher(actor)
        or (selectors.is_officer_of(actor, report.team_id) and report.team_id == into.team_id)
    ):
        raise ForbiddenError("只有调度员或同时承办两条线索的队伍可以合并", code="not_dispatcher")
    if into.status == Status.MERGED:
        raise field_error("into", "目标线索本身已被合并")
    if into.category_id != report.category_id:
        raise field_error("into", "只能合并同类问题")
    _apply(report, Action.MERGE, actor=actor, note=note or f"合并至 #{into.pk}", merged_into=into)
    audience = set(ReportFollower.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        audience.add(report.reporter_id)
    audience.discard(into.reporter_id)
    ReportFollower.objects.bulk_create(
        [ReportFollower(report=into, user_id=user_id) for user_id in sorted(audience)], ignore_conflicts=True
    )
    ProblemReport.objects.filter(merged_into=report).update(merged_into=into)
    record_event(
        into, Action.NOTE, from_status=into.status, actor=actor, note=f"合并了重复线索 #{report.pk}", internal=True
    )
    return report


# --- return and extension requests (need the dispatcher) ---------------------------------------


def _request(report: ProblemReport, actor: User, kind: str, reason: str, extra_hours: int | None) -> ReportRequest:
    report = _lock(report)
    _require_team_officer(actor, report)
    if report.status not in ProblemReport.WORKING_STATUSES:
        raise InvalidTransition(f"线索{report.get_status_display()}，不能申请{ReportRequest.Kind(kind).label}")
    try:
        with transaction.atomic():
            request = ReportRequest.objects.create(
                report=report,
                kind=kind,
                team_id=report.team_id,
                reason=reason,
                extra_hours=extra_hours,
                requested_by=actor,
            )
    except IntegrityError:
        raise RequestPending() from None
    action = Action.REQUEST_RETURN if kind == ReportRequest.Kind.RETURN else Action.REQUEST_EXTENSION
    detail = f"（延长 {extra_hours} 小时）" if extra_hours else ""
    record_event(report, action, from_status=report.status, actor=actor, note=f"{reason}{detail}", internal=True)
    _tell_dispatchers(
        report, f"{request.get_kind_display()}申请待审批", f"#{report.pk} {reason}", key=f"req:{request.pk}"
    )
    return request


@transaction.atomic
def report_request_return(*, report: ProblemReport, actor: User, reason: str) -> ReportRequest:
    """The team says the report is not theirs; the dispatcher decides."""
    return _request(report, actor, ReportRequest.Kind.RETURN, reason, None)


@transaction.atomic
def report_request_extension(*, report: ProblemReport, actor: User, reason: str, extra_hours: int) -> ReportRequest:
    return _request(report, actor, ReportRequest.Kind.EXTENSION, reason, extra_hours)


@transaction.atomic
def report_request_decide(
    *, request: ReportRequest, actor: User, approve: bool, note: str = "", team: Team | None = None
) -> ReportRequest:
    """Approve or reject. An approved return goes back to the dispatcher (or straight to `team`);
    an approved extension moves the deadline."""
    _require_dispatcher(actor)
    request = ReportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ReportRequest.Status.PENDING:
        raise InvalidTransition(f"该申请{request.get_status_display()}，不能再审批")
    report = _lock(request.report)
    is_return = request.kind == ReportRequest.Kind.RETURN
    if not approve:
        action = Action.RETURN_REJECTED if is_return else Action.EXTENSION_REJECTED
        record_event(report, action, from_status=report.status, actor=actor, note=note, internal=True)
    elif is_return:
        if team is not None and team.pk == request.team_id:
            raise field_error("team", "不能退回后再派给同一队伍")
        _apply(
            report,
            Action.RETURN_APPROVED,
            actor=actor,
            note=note or request.reason,
            team=None,
            assignee=None,
            dispatched_at=None,
            deadline_at=None,
            escalation_level=0,
        )
        if team is not None:
            _dispatch_to(report, team, actor=actor, action=Action.DISPATCH, note=f"退回后改派至「{team.name}」")
    else:
        if report.status not in ProblemReport.WORKING_STATUSES:
            raise InvalidTransition(f"线索{report.get_status_display()}，无需延期")
        base = max(report.deadline_at or timezone.now(), timezone.now())
        report.deadline_at = base + timedelta(hours=request.extra_hours)
        report.save(update_fields=["deadline_at", "updated_at"])
        deadline = timezone.localtime(report.deadline_at)
        record_event(
            report,
            Action.EXTENSION_APPROVED,
            from_status=report.status,
            actor=actor,
            note=f"延期至 {deadline:%Y-%m-%d %H:%M}。{note}",
            internal=True,
        )
    request.status = ReportRequest.Status.APPROVED if approve else ReportRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if request.requested_by_id:
        notify(
            request.requested_by_id,
            "enforcement.request_decided",
            f"{request.get_kind_display()}申请{request.get_status_display()}",
            f"#{report.pk}：{note or request.reason}",
            link=f"/staff/enforcement/reports/{report.pk}",
            data={"report": report.pk, "request": request.pk},
            dedupe_key=f"enforcement:request:{request.pk}:decided",
        )
    return request


# --- escalation --------------------------------------------------------------------------------


def reports_escalate_overdue(now=None) -> int:
    """Beat: each overdue report goes to its team leader once, and, still open a while later, to the
    district command centre once. Every report is re-locked and re-checked before acting."""
    now = now or timezone.now()
    working = ProblemReport.objects.filter(status__in=ProblemReport.WORKING_STATUSES, deadline_at__lt=now)
    to_leader = list(working.filter(escalation_level=0).values_list("pk", flat=True))
    to_district = list(
        working.filter(escalation_level=1, deadline_at__lt=now - conf.district_escalation_after()).values_list(
            "pk", flat=True
        )
    )
    return sum(report_escalate(report_id=pk, now=now) for pk in [*to_leader, *to_district])


@transaction.atomic
def report_escalate(*, report_id: int, now=None) -> bool:
    now = now or timezone.now()
    report = ProblemReport.objects.select_for_update(of=("self",)).select_related("category", "team").get(pk=report_id)
    if report.status not in ProblemReport.WORKING_STATUSES or report.deadline_at is None or report.deadline_at >= now:
        return False
    overdue_hours = int((now - report.deadline_at).total_seconds() // 3600)
    if report.escalation_level == 0:
        leaders = selectors.leader_ids(report.team_id)
        report.escalation_level = 1
        note = f"超期 {overdue_hours} 小时，报队长"
        recipients = leaders or selectors.dispatcher_ids()
    elif report.escalation_level == 1 and report.deadline_at < now - conf.district_escalation_after():
        report.escalation_level = 2
        note = f"超期 {overdue_hours} 小时，报区指挥中心"
        recipients = selectors.dispatcher_ids()
    else:
        return False
    report.save(update_fields=["escalation_level", "updated_at"])
    record_event(report, Action.ESCALATE, from_status=report.status, actor=None, note=note, internal=True)
    notify(
        recipients,
        "enforcement.overdue",
        "线索处置超期",
        f"{report.team} 承办的 #{report.pk} {_summary(report)} {note}。",
        link=f"/staff/enforcement/reports/{report.pk}",
        data={"report": report.pk, "level": report.escalation_level},
        dedupe_key=f"enforcement:report:{report.pk}:escalate:{report.escalation_level}",
    )
    return True
