"""The reform's figures: the demo's 2024 reproduces the seed's 1,153 → 109 → 47 exactly, counted
here independently from the rows; and who sees which townships (the scoping matrix)."""

from collections import Counter
from datetime import date
from statistics import median

import pytest
from django.contrib.contenttypes.models import ContentType

from enforcement import demo as enforcement_demo
from enforcement import demo_reform
from enforcement.dashboard_reform import reform
from enforcement.models import Case, Empowerment, Finding, Inspection, ProblemReport, Team
from linli.accounts.models import Membership, Role
from linli.console.registry import Scope
from linli.regions import demo as regions_demo
from tests import factories

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/staff/enforcement/figures/"
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}


@pytest.fixture
def demo_world(db):
    regions_demo.seed(lambda *args: None)
    departments, centre, teams = enforcement_demo._catalogue()
    users = enforcement_demo._accounts(departments, centre, teams)
    assert demo_reform.seed_reform_period() is True
    assert demo_reform.seed_reform_period() is False  # idempotent
    return teams, users


def independent_counts(street_ids=None):
    """The figures recomputed from the rows with plain Python, not the selector's queries."""
    inspections = [
        i
        for i in Inspection.objects.select_related("target").prefetch_related("teams")
        if i.status == "completed"
        and i.completed_at.year == 2024
        and (street_ids is None or i.target.street_id in street_ids)
    ]
    ids = {i.pk for i in inspections}
    findings = [f for f in Finding.objects.all() if f.inspection_id in ids]
    finding_ids = {f.pk for f in findings}
    cases = [c for c in Case.objects.all() if c.finding_id in finding_ids]
    replaced = sum(len(i.teams.all()) for i in inspections)
    return len(inspections), len(findings), len(cases), replaced


def test_the_demo_period_has_the_seeds_shape_and_the_endpoint_reproduces_it(demo_world, as_user):
    _teams, users = demo_world
    joint, problems, cases, replaced = independent_counts()
    assert (joint, problems, cases) == (1153, 109, 47)

    body = as_user(users["dispatch_yuecheng"]).get(FIGURES, PERIOD).json()
    assert (body["joint_inspections"], body["problems_found"], body["cases_from_inspections"]) == (1153, 109, 47)
    assert body["inspections_replaced"] == replaced
    assert body["inspections_saved"] == replaced - joint
    assert body["streets"] is None

    # Reports by channel, with the median time from report to dispatch, recomputed.
    reports = [r for r in ProblemReport.objects.all() if r.created_at.year == 2024 and r.status != "merged"]
    by_channel = Counter(r.channel for r in reports)
    rows = {row["key"]: row for row in body["reports_by_channel"]}
    assert {k: v["count"] for k, v in rows.items() if v["count"]} == dict(by_channel)
    grid = [(r.dispatched_at - r.created_at).total_seconds() / 3600 for r in reports if r.channel == "grid"]
    assert rows["grid"]["median_hours_to_dispatch"] == round(median(grid), 2)

    # Empowerment on the period's last day, per township.
    expected = Counter(
        e.street.name for e in Empowerment.objects.select_related("street") if e.since.isoformat() <= PERIOD["to"]
    )
    assert {row["street"]["name"]: row["matters"] for row in body["empowerment"]} == dict(expected)

    # The console's district widget shows the same figures; a community's dashboard shows none.
    widget = reform.compute(Scope(community_ids=[], end=date(2024, 12, 31), days=366, district=True))
    metrics = {m.key: m.value for m in widget.metrics}
    assert (metrics["joint_inspections"], metrics["problems_found"], metrics["cases_from_inspections"]) == (
        1153,
        109,
        47,
    )
    assert metrics["inspections_saved"] == replaced - joint
    assert reform.compute(Scope(community_ids=[1], end=date(2024, 12, 31), days=366)) is None


def test_a_township_team_sees_its_own_township_only(demo_world, as_user):
    teams, users = demo_world
    taoyan = teams["taoyan"].street_id
    body = as_user(users["officer_taoyan"]).get(FIGURES, PERIOD).json()
    joint, problems, cases, _ = independent_counts({taoyan})
    assert [s["id"] for s in body["streets"]] == [taoyan]
    assert (body["joint_inspections"], body["problems_found"], body["cases_from_inspections"]) == (
        joint,
        problems,
        cases,
    )
    assert 0 < joint < 1153
    assert [row["street"]["id"] for row in body["empowerment"]] == [taoyan]
    # Another township is 404, its own is fine; district staff may pick any.
    fushan = teams["fushan"].street_id
    assert as_user(users["officer_taoyan"]).get(FIGURES, {**PERIOD, "street": fushan}).status_code == 404
    assert as_user(users["officer_taoyan"]).get(FIGURES, {**PERIOD, "street": taoyan}).status_code == 200
    picked = as_user(users["officer_market"]).get(FIGURES, {**PERIOD, "street": fushan}).json()
    assert picked["joint_inspections"] == independent_counts({fushan})[0]


@pytest.mark.parametrize(
    "who, status, district",
    [
        ("dispatcher", 200, True),
        ("district_department", 200, True),
        ("township_officer", 200, False),
        ("grid_worker", 200, False),
        ("resident", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_the_scoping_matrix(db, api, as_user, who, status, district):
    street = factories.make_street(name="陶堰街道", code="taoyan")
    team = Team.objects.create(name="陶堰队", code="t", kind=Team.Kind.TOWNSHIP_TEAM, street=street)
    department = Team.objects.create(name="区局", code="d", kind=Team.Kind.DISTRICT_DEPARTMENT)
    centre = Team.objects.create(name="中心", code="c", kind=Team.Kind.COMMAND_CENTER)
    where = {"dispatcher": centre, "district_department": department, "township_officer": team, "grid_worker": team}
    client = api
    if who in where:
        user = factories.make_user()
        role = Role.GRID_WORKER if who == "grid_worker" else Role.OFFICER
        Membership.objects.create(
            user=user,
            role=role,
            scope_type=ContentType.objects.get_for_model(Team),
            scope_id=where[who].pk,
            street=where[who].street,
        )
        client = as_user(user)
    elif who == "resident":
        client = as_user(factories.make_resident())
    response = client.get(FIGURES, PERIOD)
    assert response.status_code == status
    if status == 200:
        assert (response.json()["streets"] is None) == district


def test_a_bad_period_is_400(db, as_user):
    centre = Team.objects.create(name="中心", code="c", kind=Team.Kind.COMMAND_CENTER)
    user = factories.make_user()
    Membership.objects.create(
        user=user, role=Role.OFFICER, scope_type=ContentType.objects.get_for_model(Team), scope_id=centre.pk
    )
    response = as_user(user).get(FIGURES, {"from": "2024-12-31", "to": "2024-01-01"})
    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert as_user(user).get(FIGURES, {"street": "abc"}).status_code == 400
