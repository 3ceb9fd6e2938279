"""The team's requests that need the dispatcher: take a mis-routed report back (退回), or give it
more time (延期). A request moves through `ReportRequest.workflow` (待审批 → 已批准 / 已驳回, in its
own `ReportRequestHistory`); each request and each decision is also an internal step of the
report's history."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import ProblemReport, ReportRequest, ReportRequestAction, Team
from enforcement.services._common import field_error
from enforcement.services.reports._shared import (
    Action,
    RequestPending,
    lock_report,
    move,
    record_event,
    require_dispatcher,
    require_team_officer,
    tell_dispatchers,
)
from enforcement.services.reports.routing import dispatch_to
from linli.accounts.models import User
from linli.notifications.services import notify
from linli.workflow import can, record_step, refuse, transition


def _request(report: ProblemReport, actor: User, kind: str, reason: str, extra_hours: int | None) -> ReportRequest:
    report = lock_report(report)
    require_team_officer(actor, report)
    if report.status not in ProblemReport.WORKING_STATUSES:
        raise refuse(report, f"申请{ReportRequest.Kind(kind).label}")
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
    record_step(request, ReportRequestAction.REQUEST, from_status="", actor=actor, note=reason)
    action = Action.REQUEST_RETURN if kind == ReportRequest.Kind.RETURN else Action.REQUEST_EXTENSION
    detail = f"（延长 {extra_hours} 小时）" if extra_hours else ""
    record_event(report, action, actor=actor, note=f"{reason}{detail}", internal=True)
    tell_dispatchers(
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
    require_dispatcher(actor)
    request = ReportRequest.objects.select_for_update().get(pk=request.pk)
    decision = ReportRequestAction.APPROVE if approve else ReportRequestAction.REJECT
    if not can(request, decision):  # approving or rejecting, a decided request says why the same way
        raise refuse(request, "再审批")
    transition(
        request,
        decision,
        actor=actor,
        note=note,
        locked=True,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
    )
    report = lock_report(request.report)
    is_return = request.kind == ReportRequest.Kind.RETURN
    if not approve:
        action = Action.RETURN_REJECTED if is_return else Action.EXTENSION_REJECTED
        record_event(report, action, actor=actor, note=note, internal=True)
    elif is_return:
        if team is not None and team.pk == request.team_id:
            raise field_error("team", "不能退回后再派给同一队伍")
        move(
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
            dispatch_to(report, team, actor=actor, action=Action.DISPATCH, note=f"退回后改派至「{team.name}」")
    else:
        if report.status not in ProblemReport.WORKING_STATUSES:
            raise refuse(report, "延期")
        base = max(report.deadline_at or timezone.now(), timezone.now())
        report.deadline_at = base + timedelta(hours=request.extra_hours)
        report.save(update_fields=["deadline_at", "updated_at"])
        deadline = timezone.localtime(report.deadline_at)
        record_event(
            report,
            Action.EXTENSION_APPROVED,
            actor=actor,
            note=f"延期至 {deadline:%Y-%m-%d %H:%M}。{note}",
            internal=True,
        )
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
