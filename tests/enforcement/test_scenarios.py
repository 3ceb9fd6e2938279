"""监管一件事 in the staff API: scenarios with their matters and lead department, a joint inspection
planned from one (matters and departments pre-filled), and its statistics by month."""

import pytest
from django.utils import timezone

from enforcement.models import Scenario
from enforcement.services import inspections as inspection_services
from tests.enforcement.factories import make_target

pytestmark = pytest.mark.django_db

SCENARIOS = "/api/v1/staff/enforcement/scenarios/"


@pytest.fixture
def scenario(world):
    scenario = Scenario.objects.create(name="农家乐监管一件事", place_kind="农家乐", lead_team=world.market)
    scenario.matters.set([world.fishing, world.food])
    return scenario


def test_staff_read_scenarios_with_matters_lead_and_departments(world, scenario, as_user, api, reporter):
    listed = as_user(world.officer_taoyan).get(SCENARIOS).json()
    assert [(s["name"], s["lead_team"]["name"], s["matter_count"]) for s in listed["results"]] == [
        ("农家乐监管一件事", "区市场监管局", 2)
    ]
    detail = as_user(world.officer_taoyan).get(f"{SCENARIOS}{scenario.pk}/").json()
    assert [m["code"] for m in detail["matters"]] == ["NY-001", "SC-001"]
    assert {d["name"] for d in detail["departments"]} == {"区农业农村局", "区市场监管局"}
    assert as_user(reporter).get(SCENARIOS).status_code == 403
    assert api.get(SCENARIOS).status_code == 401
    assert as_user(world.officer_taoyan).get(f"{SCENARIOS}{scenario.pk + 99}/").status_code == 404


def test_an_inspection_planned_from_a_scenario_gets_its_matters_teams_and_lead(world, scenario, as_user):
    target = make_target(world.taoyan)
    response = as_user(world.officer_taoyan).post(
        f"{SCENARIOS}{scenario.pk}/plan/",
        {"target": target.pk, "planned_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # 陶堰 is empowered for fishing, so its own team checks that; food stays with the district department.
    assert {m["code"] for m in body["matters"]} == {"NY-001", "SC-001"}
    assert {t["name"] for t in body["teams"]} == {"陶堰综合执法队", "区市场监管局"}
    assert body["lead_team"]["name"] == "区市场监管局"  # the scenario's lead department takes part: it leads
    assert body["scenario"]["id"] == scenario.pk

    # Someone not among the teams may not plan; the whitelist still applies.
    refused = as_user(world.officer_fushan).post(
        f"{SCENARIOS}{scenario.pk}/plan/", {"target": target.pk, "planned_at": timezone.now().isoformat()}
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_participant")
    listed = make_target(world.taoyan, whitelisted=True, whitelist_reason="A 级信用")
    whitelisted = as_user(world.officer_taoyan).post(
        f"{SCENARIOS}{scenario.pk}/plan/", {"target": listed.pk, "planned_at": timezone.now().isoformat()}
    )
    assert (whitelisted.status_code, whitelisted.json()["code"]) == (409, "target_whitelisted")
    bad = as_user(world.officer_taoyan).post(f"{SCENARIOS}{scenario.pk}/plan/", {"target": "x", "planned_at": "y"})
    assert (bad.status_code, set(bad.json()["fields"])) == (400, {"target", "planned_at"})


def test_scenario_statistics_count_inspections_problems_and_cases_by_month(world, scenario, as_user):
    inspection = inspection_services.inspection_plan(
        actor=world.officer_market, target=make_target(world.taoyan), matters=[], scenario=scenario,
        planned_at=timezone.now(),
    )  # fmt: skip
    finding = inspection_services.inspection_finding_add(
        inspection=inspection, actor=world.officer_market, matter=world.food, description="过期食品"
    )
    inspection_services.finding_file_case(finding=finding, actor=world.officer_market)
    inspection_services.inspection_complete(inspection=inspection, actor=world.officer_market)
    month = timezone.localdate().strftime("%Y-%m")

    body = as_user(world.dispatcher).get(f"{SCENARIOS}{scenario.pk}/stats/").json()
    assert (body["inspections"], body["problems_found"], body["cases_filed"]) == (1, 1, 1)
    assert body["by_month"] == [{"month": month, "inspections": 1, "problems_found": 1, "cases_filed": 1}]
    # 府山's team sees only its township: nothing there.
    assert as_user(world.officer_fushan).get(f"{SCENARIOS}{scenario.pk}/stats/").json()["inspections"] == 0
    past = as_user(world.dispatcher).get(f"{SCENARIOS}{scenario.pk}/stats/", {"from": "2020-01-01", "to": "2020-12-31"})
    assert (past.json()["inspections"], past.json()["by_month"]) == (0, [])
