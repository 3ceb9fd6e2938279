"""Where a report goes: the team responsible for its matter at its place (the township empowerment
lists), or the dispatchers when no team is."""

from django.utils import timezone

from enforcement import selectors
from enforcement.models import ProblemReport, ReportHistory, Team
from enforcement.services.reports._shared import Action, move, summary, tell_dispatchers, tell_team
from linli.accounts.models import User


def dispatch_to(
    report: ProblemReport, team: Team, *, actor: User | None, action: str, note: str, **changes
) -> ReportHistory:
    """Dispatch (or re-route) a locked report to `team` with a fresh deadline, and tell the team."""
    now = timezone.now()
    event = move(
        report,
        action,
        actor=actor,
        note=note,
        team=team,
        assignee=None,
        dispatched_at=now,
        deadline_at=now + report.matter.deadline,
        escalation_level=0,
        **changes,
    )
    tell_team(
        report,
        "新的派遣线索" if action == Action.DISPATCH else "改派线索",
        f"{summary(report)}，请于 {timezone.localtime(report.deadline_at):%m-%d %H:%M} 前处置。",
        key=f"event:{event.pk}",
    )
    return event


def route(report: ProblemReport) -> None:
    """Send a new report to the team responsible for its matter at its place, or to the dispatchers."""
    day = timezone.localdate(report.created_at)
    team = selectors.responsible_team(matter=report.matter, street_id=report.street_id, day=day)
    if team is None:
        tell_dispatchers(report, "待人工派遣的线索", summary(report), key="unrouted")
        return
    how = "按赋权清单派至乡镇（街道）综合执法队" if team.kind == Team.Kind.TOWNSHIP_TEAM else "按事项领域派至区级部门"
    dispatch_to(report, team, actor=None, action=Action.DISPATCH, note=f"自动派遣：{how}「{team.name}」")
