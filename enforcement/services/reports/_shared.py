"""What every part of the report loop uses: the row lock, history steps, who may act, who is told."""

from enforcement import selectors
from enforcement.models import ProblemReport, ReportHistory
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError
from linli.notifications.services import notify
from linli.workflow import record_step, transition

Status = ProblemReport.Status
Action = ReportHistory.Action
Outcome = ProblemReport.Outcome


class PossibleDuplicate(ConflictError):
    code = "possible_duplicate"
    default_message = "附近已有相同问题的上报，可直接关注其处理进展"


class RequestPending(ConflictError):
    code = "request_pending"
    default_message = "该线索已有待审批的申请"


def lock_report(report: ProblemReport) -> ProblemReport:
    """The report re-read under its row lock (every field: the permission checks read the team)."""
    return ProblemReport.objects.select_for_update().get(pk=report.pk)


def move(report: ProblemReport, action: str, *, actor: User | None, note: str = "", **changes) -> ReportHistory:
    """Apply a transition of the loop to a report locked by `lock_report`. The history row names
    the team that holds the report after the step (a dispatch's new team, none after a return)."""
    team_id = getattr(changes["team"], "pk", None) if "team" in changes else report.team_id
    return transition(report, action, actor=actor, note=note, locked=True, record={"team_id": team_id}, **changes)


def record_event(
    report: ProblemReport, action: str, *, actor: User | None, note: str = "", internal: bool = False
) -> ReportHistory:
    """A step that leaves the status as it is (a rating, a note, a request, an escalation).
    `internal` steps never reach residents."""
    return record_step(report, action, actor=actor, note=note, record={"team_id": report.team_id, "internal": internal})


def record_reported(report: ProblemReport, *, actor: User | None, note: str) -> ReportHistory:
    """The first row of a report's history: it comes from nowhere (`from_status` empty)."""
    record = {"team_id": report.team_id}
    return record_step(report, Action.REPORT, actor=actor, note=note, record=record, from_status="")


def tell_team(report: ProblemReport, title: str, body: str, *, key: str) -> None:
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


def tell_dispatchers(report: ProblemReport, title: str, body: str, *, key: str) -> None:
    notify(
        selectors.dispatcher_ids(),
        "enforcement.dispatch",
        title,
        body,
        link=f"/staff/enforcement/reports/{report.pk}",
        data={"report": report.pk, "status": report.status},
        dedupe_key=f"enforcement:report:{report.pk}:{key}",
    )


def summary(report: ProblemReport) -> str:
    where = report.address or (str(report.street) if report.street_id else "")
    return f"{report.category.name}：{report.description[:60]}" + (f"（{where}）" if where else "")


def require_dispatcher(actor: User) -> None:
    if not selectors.is_dispatcher(actor):
        raise ForbiddenError("只有区指挥中心调度员可以执行此操作", code="not_dispatcher")


def require_team_officer(actor: User, report: ProblemReport) -> None:
    if selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, report.team_id):
        return
    raise ForbiddenError("只有承办队伍的执法人员可以执行此操作", code="not_team_officer")
