"""综合查一次: plan one visit by the few teams that matter, record findings, complete it; a finding
can open a report or file a case. Routine visits leave whitelisted targets alone. The visit's
status moves through `Inspection.workflow`, each step an `InspectionHistory` row."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from enforcement import selectors
from enforcement.models import (
    Finding,
    Inspection,
    InspectionAction,
    Matter,
    ProblemReport,
    Scenario,
    Target,
    Team,
)
from enforcement.services._common import check_photos, field_error
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError
from linli.uploads.models import Upload
from linli.uploads.services import attachments_set
from linli.workflow import record_step, refuse, transition

Status = Inspection.Status


class TargetWhitelisted(ConflictError):
    code = "target_whitelisted"
    default_message = "该对象在免查白名单内，不纳入例行联合检查"


def suggested_teams(*, target: Target, matters: list[Matter], day) -> list[Team]:
    """The teams responsible for the matters at the target's place, each once, in matter order."""
    teams: dict[int, Team] = {}
    for matter in matters:
        team = selectors.responsible_team(matter=matter, street_id=target.street_id, day=day)
        if team is not None:
            teams.setdefault(team.pk, team)
    return list(teams.values())


@transaction.atomic
def inspection_plan(
    *,
    actor: User,
    target: Target,
    matters: list[Matter],
    planned_at,
    teams: list[Team] | None = None,
    kind: str = Inspection.Kind.ROUTINE,
    scenario: Scenario | None = None,
    lead_team: Team | None = None,
) -> Inspection:
    """Plan a joint inspection. Without `teams` the responsible teams are chosen; given teams must
    each be responsible for one of the matters there, and together cover all of them."""
    day = timezone.localdate(planned_at)
    if kind == Inspection.Kind.ROUTINE and target.is_whitelisted_on(day):
        raise TargetWhitelisted(
            f"「{target.name}」在免查白名单内（{target.whitelist_reason or '无理由'}），不纳入例行联合检查"
        )
    if scenario is not None:
        matters = list(dict.fromkeys([*matters, *scenario.matters.all()]))
    if not matters:
        raise field_error("matters", "请至少选择一项检查事项")
    responsible = {
        matter.pk: selectors.responsible_team(matter=matter, street_id=target.street_id, day=day) for matter in matters
    }
    if not teams:
        teams = suggested_teams(target=target, matters=matters, day=day)
    else:
        teams = list(dict.fromkeys(teams))
        team_ids = {team.pk for team in teams}
        needless = [team.name for team in teams if team.pk not in {t.pk for t in responsible.values() if t}]
        if needless:
            raise field_error("teams", f"{'、'.join(needless)} 不负责这些事项，无需参加")
        uncovered = [m.name for m in matters if responsible[m.pk] and responsible[m.pk].pk not in team_ids]
        if uncovered:
            raise field_error("teams", f"缺少负责以下事项的队伍：{'、'.join(uncovered)}")
    if not teams:
        raise field_error("matters", "这些事项在该地没有负责的队伍")
    mine = selectors.team_ids_of(actor)
    if not (selectors.is_dispatcher(actor) or mine & {team.pk for team in teams}):
        raise ForbiddenError("只有参与队伍或区指挥中心可以计划联合检查", code="not_participant")
    if lead_team is None:
        lead_team = next((team for team in teams if team.pk in mine), teams[0])
    elif lead_team.pk not in {team.pk for team in teams}:
        raise field_error("lead_team", "牵头队伍须是参与队伍之一")
    inspection = Inspection.objects.create(
        target=target, kind=kind, scenario=scenario, lead_team=lead_team, planned_at=planned_at, created_by=actor
    )
    inspection.matters.set(matters)
    inspection.teams.set(teams)
    record_step(
        inspection,
        InspectionAction.PLAN,
        from_status="",
        actor=actor,
        note=f"{inspection.get_kind_display()}：{'、'.join(team.name for team in teams)}",
    )
    return inspection


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


@transaction.atomic
def inspection_finding_add(
    *,
    inspection: Inspection,
    actor: User,
    matter: Matter,
    description: str,
    severity: str = Finding.Severity.MINOR,
    photos: Sequence[Upload] = (),
) -> Finding:
    """A participating officer records what they found; the first finding starts the inspection."""
    inspection = _lock(inspection)
    if inspection.status not in (Status.PLANNED, Status.IN_PROGRESS):
        raise refuse(inspection, "再记录问题")
    team_ids = set(inspection.teams.values_list("pk", flat=True))
    mine = selectors.team_ids_of(actor, selectors.Role.OFFICER) & team_ids
    if not mine and not selectors.is_dispatcher(actor):
        raise ForbiddenError("只有参与队伍的执法人员可以记录问题", code="not_participant")
    if not inspection.matters.filter(pk=matter.pk).exists():
        raise field_error("matter", "该事项不在本次检查范围内")
    photos = check_photos(actor, photos)
    responsible = selectors.responsible_team(
        matter=matter, street_id=inspection.target.street_id, day=timezone.localdate(inspection.planned_at)
    )
    team_id = (
        responsible.pk if responsible and responsible.pk in mine else (min(mine) if mine else inspection.lead_team_id)
    )
    if inspection.status == Status.PLANNED:
        transition(inspection, InspectionAction.START, actor=actor, locked=True, started_at=timezone.now())
    finding = Finding.objects.create(
        inspection=inspection,
        matter=matter,
        team_id=team_id,
        recorded_by=actor,
        description=description,
        severity=severity,
    )
    attachments_set(finding, "photos", photos)
    return finding


@transaction.atomic
def inspection_complete(*, inspection: Inspection, actor: User, summary: str = "") -> Inspection:
    """The lead team (or the command centre) completes the visit."""
    inspection = _lock(inspection)
    if not (selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, inspection.lead_team_id)):
        raise ForbiddenError("只有牵头队伍可以完成检查", code="not_lead_team")
    now = timezone.now()
    transition(
        inspection,
        InspectionAction.COMPLETE,
        actor=actor,
        note=summary,
        locked=True,
        started_at=inspection.started_at or now,
        completed_at=now,
        summary=summary,
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, actor: User, reason: str) -> Inspection:
    inspection = _lock(inspection)
    if not (selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, inspection.lead_team_id)):
        raise ForbiddenError("只有牵头队伍可以取消检查", code="not_lead_team")
    transition(inspection, InspectionAction.CANCEL, actor=actor, note=reason, locked=True, summary=reason)
    return inspection


def _lock_finding(finding: Finding, actor: User) -> Finding:
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("inspection__target", "matter")
        .get(pk=finding.pk)
    )
    if not (selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, finding.team_id)):
        raise ForbiddenError("只有记录该问题的队伍可以处理", code="not_team_officer")
    return finding


@transaction.atomic
def finding_open_report(*, finding: Finding, actor: User) -> ProblemReport:
    """Turn a finding into a report of the loop (routed like any other) — once."""
    from enforcement.services.reports import report_create

    finding = _lock_finding(finding, actor)
    if finding.report_id:
        raise ConflictError("该问题已转为线索", code="already_reported")
    category = finding.matter.categories.order_by("sort_order", "id").first()
    if category is None:
        raise field_error("matter", "该事项没有对应的问题分类，无法转为线索")
    target = finding.inspection.target
    report = report_create(
        channel=ProblemReport.Channel.INSPECTION,
        category=category,
        matter=finding.matter,
        description=f"【综合查一次·{target.name}】{finding.description}",
        photos=[link.upload for link in finding.photo_links.select_related("upload")],
        lat=target.lat,
        lng=target.lng,
        address=target.address,
        street=target.street,
        reporter=actor,
    )
    finding.report = report
    finding.save(update_fields=["report"])
    return report


@transaction.atomic
def finding_file_case(*, finding: Finding, actor: User, party_name: str = "", party_code: str = "", facts: str = ""):
    """File a case straight from a finding (the party defaults to the inspected target) — once."""
    from enforcement.models import Case
    from enforcement.services.cases import case_file

    finding = _lock_finding(finding, actor)
    if Case.objects.filter(finding=finding).exists():
        raise ConflictError("该问题已立案", code="already_filed")
    target = finding.inspection.target
    return case_file(
        actor=actor,
        matter=finding.matter,
        team=finding.team,
        party_name=party_name or target.name,
        party_code=party_code or target.credit_code,
        facts=facts or finding.description,
        report=finding.report,
        finding=finding,
    )
