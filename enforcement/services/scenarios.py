"""监管一件事: plan a joint inspection from a scenario — its matters pre-filled, the teams
responsible for them at the target's place, its lead department leading when it takes part."""

from django.db import transaction
from django.utils import timezone

from enforcement.models import Inspection, Matter, Scenario, Target, Team
from enforcement.services.inspections import inspection_plan, suggested_teams
from linli.accounts.models import User


@transaction.atomic
def scenario_inspection_plan(
    *,
    actor: User,
    scenario: Scenario,
    target: Target,
    planned_at,
    kind: str = Inspection.Kind.ROUTINE,
    extra_matters: list[Matter] | None = None,
    teams: list[Team] | None = None,
    lead_team: Team | None = None,
) -> Inspection:
    """The scenario's matters (plus `extra_matters`) at `target`; without `teams`, the responsible
    ones. The lead is `lead_team`, else the scenario's lead department if it takes part, else the
    caller's team (the rules of `inspection_plan` apply: whitelist, coverage, participation)."""
    if lead_team is None and scenario.lead_team_id is not None:
        matters = list(dict.fromkeys([*(extra_matters or []), *scenario.matters.all()]))
        chosen = teams or suggested_teams(target=target, matters=matters, day=timezone.localdate(planned_at))
        if scenario.lead_team_id in {team.pk for team in chosen}:
            lead_team = scenario.lead_team
    return inspection_plan(
        actor=actor,
        target=target,
        matters=list(extra_matters or []),
        planned_at=planned_at,
        teams=teams,
        kind=kind,
        scenario=scenario,
        lead_team=lead_team,
    )
