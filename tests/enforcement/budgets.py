"""Quality-gate registrations for the enforcement endpoints (see tests/quality/registry.py)."""

from django.contrib.contenttypes.models import ContentType

from enforcement.models import (
    Boundary,
    Case,
    Category,
    DispatchOffer,
    Domain,
    Finding,
    Inspection,
    LiaisonReport,
    LiaisonStation,
    Matter,
    ProblemReport,
    ReportFollower,
    ReportRequest,
    Shift,
    Target,
    Team,
)
from linli.accounts.models import Membership, Role
from linli.uploads.services import attachments_set
from tests import factories
from tests.support.personas import Persona

OFFICER = "enforcement_officer"


def enforcement_officer(community) -> Persona:
    """An officer of a township's comprehensive team (the community's street)."""
    team = Team.objects.create(
        name=f"{community.street.name}综合执法队",
        code=f"team-{community.street.code}",
        kind=Team.Kind.TOWNSHIP_TEAM,
        street=community.street,
    )
    user = factories.make_user()
    factories.grant(
        user, Role.OFFICER, scope_type=ContentType.objects.get_for_model(Team), scope_id=team.pk, street=team.street
    )
    return Persona(OFFICER, user, community)


LIAISON = "liaison_officer"


def liaison_officer(community) -> Persona:
    """A village liaison officer (村联络员) of a station in the community's street."""
    station = LiaisonStation.objects.create(
        name=f"{community.name}联络站{LiaisonStation.objects.count()}",
        code=f"station-{LiaisonStation.objects.count()}",
        street=community.street,
    )
    user = factories.make_user()
    factories.grant(
        user, Role.LIAISON_OFFICER, scope_type=ContentType.objects.get_for_model(LiaisonStation), scope_id=station.pk
    )
    return Persona(LIAISON, user, community)


PERSONAS = {OFFICER: enforcement_officer, LIAISON: liaison_officer}


def _team(persona) -> Team:
    """The persona's team; for a persona without one (the fuzzer's resident or staff), someone else's."""
    membership = Membership.objects.filter(user=persona.user, role=Role.OFFICER).first() if persona.user else None
    if membership is not None:
        return Team.objects.get(pk=membership.scope_id)
    n = Team.objects.count()
    return Team.objects.create(name=f"别的部门{n}", code=f"other-{n}")


def _officer_of(team: Team, persona):
    if persona.user and Membership.objects.filter(user=persona.user, role=Role.OFFICER, scope_id=team.pk).exists():
        return persona.user
    user = factories.make_user()
    factories.grant(user, Role.OFFICER, scope_type=ContentType.objects.get_for_model(Team), scope_id=team.pk)
    return user


def _category() -> Category:
    domain, _ = Domain.objects.get_or_create(code="budget-domain", defaults={"name": "预算领域"})
    matter, _ = Matter.objects.get_or_create(code="BUDGET-1", defaults={"name": "预算事项", "domain": domain})
    category, _ = Category.objects.get_or_create(code="budget_cat", defaults={"name": "预算分类", "matter": matter})
    return category


def _with_photos(thing, owner=None, n=2):
    """Two photos on every report and finding: lists must not pay per photo or per row."""
    owner = owner or factories.make_resident()
    attachments_set(thing, "photos", [factories.make_upload(owner) for _ in range(n)])
    return thing


def _report(*, team=None, reporter=None, **kw) -> ProblemReport:
    category = _category()
    report = ProblemReport.objects.create(
        channel=ProblemReport.Channel.RESIDENT,
        category=category,
        matter=category.matter,
        description="预算测试线索",
        team=team,
        reporter=reporter,
        status=ProblemReport.Status.DISPATCHED if team else ProblemReport.Status.REPORTED,
        street=team.street if team else None,
        **kw,
    )
    return _with_photos(report, reporter)


# --- residents ---------------------------------------------------------------------------------


def my_reports(persona, n):
    for index in range(n):
        report = _report(reporter=None if index % 2 else persona.user, team=None)
        if index % 2:  # followed ones count too
            ReportFollower.objects.create(report=report, user=persona.user)


def my_report(persona):
    report = _report(reporter=persona.user)
    report.history.create(action="report", to_status="reported", actor=persona.user)
    return {"id": report.pk}


def one_category(persona):
    _category()
    return {}


def categories(persona, n):
    matter = _category().matter
    start = Category.objects.count()
    for index in range(start, start + n):
        Category.objects.create(code=f"budget_cat_{index}", name=f"预算分类{index}", matter=matter)


# --- staff -------------------------------------------------------------------------------------


def team_reports(persona, n):
    team = _team(persona)
    reporter = factories.make_resident()
    for _ in range(n):
        _report(team=team, reporter=reporter, assignee=persona.user)


def team_report(persona):
    report = _report(team=_team(persona), reporter=factories.make_resident(), contact_phone="13800001234")
    report.history.create(action="report", to_status="reported")
    ReportRequest.objects.create(report=report, kind="return", team=report.team, reason="不属本队")
    return {"id": report.pk}


def matters(persona, n):
    for _ in range(n):
        Matter.objects.create(code=f"BM-{Matter.objects.count()}", name="预算事项", domain=_category().matter.domain)


def one_matter(persona):
    return {"id": _category().matter_id}


def teams(persona, n):
    for index in range(n):
        Team.objects.create(name=f"预算部门{Team.objects.count()}-{index}", code=f"budget-{Team.objects.count()}")


def one_team(persona):
    return {"id": _team(persona).pk}


def requests(persona, n):
    team = _team(persona)
    for _ in range(n):
        ReportRequest.objects.create(
            report=_report(team=team), kind="extension", team=team, reason="需要时间", extra_hours=4
        )


def one_request(persona):
    team = _team(persona)
    return {"id": ReportRequest.objects.create(report=_report(team=team), kind="return", team=team, reason="x").pk}


def targets(persona, n):
    for _ in range(n):
        Target.objects.create(name=f"预算商户{Target.objects.count()}", street=persona.community.street)


def one_target(persona):
    return {"id": Target.objects.create(name=f"预算商户{Target.objects.count()}", street=persona.community.street).pk}


def _inspection(persona) -> Inspection:
    team = _team(persona)
    target = Target.objects.create(name=f"预算商户{Target.objects.count()}", street=persona.community.street)
    inspection = Inspection.objects.create(target=target, lead_team=team, planned_at="2025-05-01T09:00:00+08:00")
    inspection.teams.set([team])
    inspection.matters.set([_category().matter])
    return inspection


def inspections(persona, n):
    for _ in range(n):
        _inspection(persona)


def one_inspection(persona):
    inspection = _inspection(persona)
    finding = Finding.objects.create(
        inspection=inspection, matter=_category().matter, team=_team(persona), description="发现问题"
    )
    _with_photos(finding, persona.user)
    return {"id": inspection.pk}


def findings(persona, n):
    inspection = _inspection(persona)
    for _ in range(n):
        finding = Finding.objects.create(
            inspection=inspection, matter=_category().matter, team=_team(persona), description="问题"
        )
        _with_photos(finding, persona.user)


def one_finding(persona):
    inspection = _inspection(persona)
    finding = Finding.objects.create(
        inspection=inspection, matter=_category().matter, team=_team(persona), description="问题"
    )
    _with_photos(finding, persona.user)
    return {"id": finding.pk}


def _case(persona) -> Case:
    from enforcement.services.cases import case_file

    team = _team(persona)
    officer = _officer_of(team, persona)
    return case_file(actor=officer, matter=_category().matter, team=team, party_name="某商户", facts="事实")


def cases(persona, n):
    for _ in range(n):
        _case(persona)


def one_case(persona):
    return {"id": _case(persona).pk}


def stats(persona):
    team_report(persona)
    return {}


# --- Open311 -----------------------------------------------------------------------------------


def no_parameters(persona):
    return {}


def one_service(persona):
    return {"service_code": _category().code}


def open311_requests(persona):
    for _ in range(3):
        _report(team=None)
    return {}


def open311_request(persona):
    return {"id": _report(team=None).pk}


# --- geography and duty ------------------------------------------------------------------------

_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.7, 30.0], [120.71, 30.0], [120.71, 30.01], [120.7, 30.01], [120.7, 30.0]]],
}


def _boundary(persona) -> Boundary:
    n = Boundary.objects.count()
    return Boundary.objects.create(
        kind="village", name=f"预算村{n}", street=persona.community.street, geometry=_SQUARE,
        min_lat=30.0, max_lat=30.01, min_lng=120.7, max_lng=120.71,
    )  # fmt: skip


def boundaries(persona, n):
    for _ in range(n):
        _boundary(persona)


def one_boundary(persona):
    return {"id": _boundary(persona).pk}


def _station(persona) -> LiaisonStation:
    n = LiaisonStation.objects.count()
    return LiaisonStation.objects.create(
        name=f"预算联络站{n}", code=f"budget-station-{n}", street=persona.community.street
    )


def stations(persona, n):
    for _ in range(n):
        _station(persona)


def one_station(persona):
    return {"id": _station(persona).pk}


def _liaison_report(persona) -> ProblemReport:
    """A report of the persona's station; for a persona without one (the fuzzer's), another station's."""
    membership = (
        Membership.objects.filter(user=persona.user, role=Role.LIAISON_OFFICER).first() if persona.user else None
    )
    station_id = membership.scope_id if membership else _station(persona).pk
    report = _report(reporter=persona.user if membership else None)
    LiaisonReport.objects.create(report=report, station_id=station_id)
    return report


def liaison_reports(persona, n):
    for _ in range(n):
        _liaison_report(persona)


def one_liaison_report(persona):
    report = _liaison_report(persona)
    report.history.create(action="report", to_status="reported", actor=persona.user)
    return {"id": report.pk}


def _shift(persona) -> Shift:
    team = _team(persona)
    shift = Shift.objects.create(
        team=team, date="2026-05-01", starts_at="2026-05-01T08:00:00+08:00", ends_at="2026-05-01T20:00:00+08:00"
    )
    shift.officers.set([persona.user, _officer_of(team, persona)])
    return shift


def shifts(persona, n):
    for _ in range(n):
        _shift(persona)


def one_shift(persona):
    return {"id": _shift(persona).pk}


def _offer(persona) -> DispatchOffer:
    team = _team(persona)
    return DispatchOffer.objects.create(
        report=_report(team=team), team=team, officer=persona.user,
        offered_at="2026-05-01T08:00:00+08:00", expires_at="2026-05-01T08:10:00+08:00",
    )  # fmt: skip


def offers(persona, n):
    for _ in range(n):
        _offer(persona)


def one_offer(persona):
    return {"id": _offer(persona).pk}


LIST_DATA = {
    "/api/v1/enforcement/categories/": ("resident", categories),
    "/api/v1/enforcement/reports/": ("resident", my_reports),
    "/api/v1/staff/enforcement/reports/": (OFFICER, team_reports),
    "/api/v1/staff/enforcement/matters/": (OFFICER, matters),
    "/api/v1/staff/enforcement/teams/": (OFFICER, teams),
    "/api/v1/staff/enforcement/requests/": (OFFICER, requests),
    "/api/v1/staff/enforcement/targets/": (OFFICER, targets),
    "/api/v1/staff/enforcement/inspections/": (OFFICER, inspections),
    "/api/v1/staff/enforcement/findings/": (OFFICER, findings),
    "/api/v1/staff/enforcement/cases/": (OFFICER, cases),
    "/api/v1/staff/enforcement/boundaries/": (OFFICER, boundaries),
    "/api/v1/staff/enforcement/stations/": (OFFICER, stations),
    "/api/v1/staff/enforcement/liaison-reports/": (LIAISON, liaison_reports),
    "/api/v1/staff/enforcement/shifts/": (OFFICER, shifts),
    "/api/v1/staff/enforcement/offers/": (OFFICER, offers),
}

# Staff endpoints start with 1 token user, 1 team membership (the permission), and for scoped
# querysets 1 is_dispatcher check.
DETAIL_BUDGETS = {
    # 1 token user, 1 the report (mine or followed), 1 its photos, 1 its public timeline
    "/api/v1/enforcement/reports/{id}/": ("resident", my_report, 4),
    # 3 (user, membership, dispatcher), 1 the report, 1 its people, 1 photos, 1 history, 1 requests, 1 cases
    "/api/v1/staff/enforcement/reports/{id}/": (OFFICER, team_report, 9),
    # 2 (user, membership), 1 the matter with its domain
    "/api/v1/staff/enforcement/matters/{id}/": (OFFICER, one_matter, 3),
    # 2 (user, membership), 1 the team with its street and open workload, 1 its matters
    "/api/v1/staff/enforcement/teams/{id}/": (OFFICER, one_team, 4),
    # 3 (user, membership, dispatcher), 1 the request with report, team and people joined
    "/api/v1/staff/enforcement/requests/{id}/": (OFFICER, one_request, 4),
    # 2 (user, membership), 1 the target with its street
    "/api/v1/staff/enforcement/targets/{id}/": (OFFICER, one_target, 3),
    # 3 (user, membership, dispatcher), 1 the inspection, 1 matters, 1 teams, 1 findings, 1 their photos
    "/api/v1/staff/enforcement/inspections/{id}/": (OFFICER, one_inspection, 8),
    # 3 (user, membership, dispatcher), 1 the finding with inspection, matter, team, recorder, case, 1 its photos
    "/api/v1/staff/enforcement/findings/{id}/": (OFFICER, one_finding, 5),
    # 3 (user, membership, dispatcher), 1 the case, 1 its history
    "/api/v1/staff/enforcement/cases/{id}/": (OFFICER, one_case, 5),
    # 3 (user, membership, dispatcher), 1 my teams, 9 aggregates (enforcement/stats.py)
    "/api/v1/staff/enforcement/stats/": (OFFICER, stats, 13),
    # 2 (user, membership), 1 the boundary with its street and team
    "/api/v1/staff/enforcement/boundaries/{id}/": (OFFICER, one_boundary, 3),
    # 2 (user, membership), 1 is a team member, 1 the station
    "/api/v1/staff/enforcement/stations/{id}/": (OFFICER, one_station, 4),
    # 2 (user, membership), 1 my stations, 1 the report, 1 photos, 1 history
    "/api/v1/staff/enforcement/liaison-reports/{id}/": (LIAISON, one_liaison_report, 6),
    # 3 (user, membership, dispatcher), 1 the shift with its team, 1 its officers
    "/api/v1/staff/enforcement/shifts/{id}/": (OFFICER, one_shift, 5),
    # 3 (user, membership, dispatcher), 1 the offer with report, category and team, 1 its officer
    "/api/v1/staff/enforcement/offers/{id}/": (OFFICER, one_offer, 5),
    # Open311 needs no token: 1 query each, and 1 for the requests' photos (media_url)
    "/open311/v2/services.json": ("anonymous", one_category, 1),
    # Discovery is built from settings; a definition: 1 the category, 1 the townships for `street`
    "/open311/v2/discovery.json": ("anonymous", no_parameters, 0),
    "/open311/v2/services/{service_code}.json": ("anonymous", one_service, 2),
    "/open311/v2/requests.json": ("anonymous", open311_requests, 2),
    "/open311/v2/requests/{id}.json": ("anonymous", open311_request, 2),
}


def give_reports(user):
    _report(reporter=user, contact_phone="13912345678", rating_comment="处理得很及时，谢谢王师傅")
    ReportFollower.objects.create(report=_report(), user=user)
    return ["13912345678", "处理得很及时，谢谢王师傅", "预算测试线索"]


PRIVACY_DATA = {"enforcement": give_reports}
# the reports with their category, their photos; the follows with their report's category;
EXPORT_QUERIES = {"enforcement": 4}  # + the officer's last position


# --- 监管一件事, the reform's figures, provincial sync (enforcement/api/reform_views.py) ----------


def _scenario(n: int = 0):
    from enforcement.models import Scenario

    scenario = Scenario.objects.create(name=f"预算场景{Scenario.objects.count()}-{n}", place_kind="沿街商铺")
    scenario.matters.set([_category().matter])
    return scenario


def scenarios(persona, n):
    for index in range(n):
        _scenario(index)


def one_scenario(persona):
    return {"id": _scenario().pk}


def scenario_stats(persona):
    scenario = _scenario()
    inspection = _inspection(persona)
    Inspection.objects.filter(pk=inspection.pk).update(
        scenario=scenario, status="completed", completed_at=inspection.planned_at
    )
    Finding.objects.create(inspection=inspection, matter=_category().matter, team=_team(persona), description="问题")
    return {"id": scenario.pk}


def _synced(persona):
    from enforcement.models import SyncedRecord

    report = _report(team=_team(persona))
    return SyncedRecord.objects.create(kind="report", object_id=report.pk, external_id=f"ZJ-{report.pk}")


def synced_records(persona, n):
    for _ in range(n):
        _synced(persona)


def one_synced_record(persona):
    return {"id": _synced(persona).pk}


def figures(persona):
    team_report(persona)
    _inspection(persona)
    return {}


LIST_DATA.update(
    {
        "/api/v1/staff/enforcement/scenarios/": (OFFICER, scenarios),
        "/api/v1/staff/enforcement/sync/": (OFFICER, synced_records),
    }
)
DETAIL_BUDGETS.update(
    {
        # 2 (user, membership), 1 the scenario with its lead and matter count, 1 its matters with domains
        "/api/v1/staff/enforcement/scenarios/{id}/": (OFFICER, one_scenario, 4),
        # 2 (user, membership), 1 the scenario, 2 scoping (dispatcher, my teams' kinds and townships),
        # 3 by month (inspections, findings, cases)
        "/api/v1/staff/enforcement/scenarios/{id}/stats/": (OFFICER, scenario_stats, 8),
        # 3 (user, membership, dispatcher), 1 the record (scoped by my reports and inspections)
        "/api/v1/staff/enforcement/sync/{id}/": (OFFICER, one_synced_record, 4),
        # 2 (user, membership), 2 scoping (dispatcher, my teams' kinds and townships), 1 the townships,
        # 6 figures (enforcement/figures.py)
        "/api/v1/staff/enforcement/figures/": (OFFICER, figures, 11),
    }
)
