"""Where a report goes: the township whose polygon contains it, then the squad of that township for
its matter and place when the township is empowered for the matter (else the district department);
a report outside every township polygon, or that no team is responsible for, waits for the
dispatchers. Once a squad has it, it is offered to the nearest on-duty officer (services/dispatch)."""

from django.utils import timezone

from enforcement import selectors
from enforcement.models import ProblemReport, ReportHistory, Team
from enforcement.services.reports._shared import Action, move, summary, tell_dispatchers, tell_team
from linli.accounts.models import User


def dispatch_to(
    report: ProblemReport, team: Team, *, actor: User | None, action: str, note: str, **changes
) -> ReportHistory:
    """Dispatch (or re-route) a locked report to `team` with a fresh deadline, tell the team, and
    offer it to the team's nearest on-duty officer (a pending offer elsewhere is withdrawn)."""
    from enforcement.services.dispatch import offer_first

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
    offer_first(report, now=now)
    return event


def route(report: ProblemReport, *, outside: bool = False) -> None:
    """Send a new report to the squad or department responsible for its matter at its place, or to
    the dispatchers (`outside`: its point lies outside every township polygon)."""
    day = timezone.localdate(report.created_at)
    team = None
    if not outside:
        team = selectors.responsible_team(
            matter=report.matter, street_id=report.street_id, day=day, lat=report.lat, lng=report.lng
        )
    if team is None:
        why = "位置不在任何乡镇（街道）边界内" if outside else "无对应承办队伍"
        tell_dispatchers(report, "待人工派遣的线索", f"{summary(report)}；{why}", key="unrouted")
        return
    how = "按赋权清单派至乡镇（街道）执法中队" if team.kind == Team.Kind.TOWNSHIP_TEAM else "按事项领域派至区级部门"
    dispatch_to(report, team, actor=None, action=Action.DISPATCH, note=f"自动派遣：{how}「{team.name}」")
