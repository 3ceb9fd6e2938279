"""综合查一次: plan with the few teams that matter, whitelist, findings → report or case, replaced visits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import Case, Inspection, ProblemReport
from tests.enforcement.factories import make_target

pytestmark = pytest.mark.django_db

INSPECTIONS, FINDINGS = "/api/v1/staff/enforcement/inspections/", "/api/v1/staff/enforcement/findings/"


@pytest.fixture
def shop(world):
    return make_target(world.taoyan, name="白塔村便民超市", credit_code="92330602MA2D00009K")


def plan(client, target, matters, **kw):
    body = {
        "target": target.pk,
        "matters": [m.pk for m in matters],
        "planned_at": (timezone.now() + timedelta(days=1)).isoformat(),
    }
    return client.post(INSPECTIONS, {**body, **kw})


def test_a_plan_without_teams_involves_exactly_the_responsible_ones(world, shop, as_user):
    response = plan(as_user(world.officer_taoyan), shop, [world.fishing, world.food])
    assert response.status_code == 201, response.content
    body = response.json()
    assert {t["id"] for t in body["teams"]} == {world.taoyan_team.pk, world.market.pk}
    assert body["lead_team"]["id"] == world.taoyan_team.pk  # the planner's own team leads
    assert body["replaced_inspections"] == 2 and body["status"] == "planned"


def test_a_plan_refuses_teams_that_do_not_matter_and_gaps(world, shop, as_user):
    client = as_user(world.dispatcher)
    needless = plan(client, shop, [world.food], teams=[world.market.pk, world.fushan_team.pk])
    assert needless.status_code == 400 and "府山综合执法队" in needless.json()["fields"]["teams"][0]
    gap = plan(client, shop, [world.food, world.fishing], teams=[world.market.pk])
    assert gap.status_code == 400 and "teams" in gap.json()["fields"]


def test_routine_inspections_leave_whitelisted_targets_alone(world, as_user):
    trusted = make_target(world.taoyan, whitelisted=True, whitelist_reason="信用 A 级")
    client = as_user(world.dispatcher)
    refused = plan(client, trusted, [world.food])
    assert refused.status_code == 409 and refused.json()["code"] == "target_whitelisted"
    assert plan(client, trusted, [world.food], kind="targeted").status_code == 201


def test_outsiders_can_neither_plan_nor_see(world, shop, as_user):
    assert plan(as_user(world.officer_fushan), shop, [world.food]).status_code == 403
    created = plan(as_user(world.officer_market), shop, [world.food]).json()
    assert as_user(world.officer_fushan).get(f"{INSPECTIONS}{created['id']}/").status_code == 404
    assert as_user(world.officer_market).get(INSPECTIONS).json()["count"] == 1


def test_a_joint_inspection_turns_a_finding_into_a_case_and_another_into_a_report(
    world, shop, as_user, django_capture_on_commit_callbacks
):
    lead, market = as_user(world.officer_taoyan), as_user(world.officer_market)
    inspection = plan(lead, shop, [world.fishing, world.food]).json()
    url = f"{INSPECTIONS}{inspection['id']}/"

    outsider = as_user(world.officer_fushan).post(f"{url}findings/", {"matter": world.food.pk, "description": "x"})
    assert outsider.status_code == 404
    off_scope = market.post(f"{url}findings/", {"matter": 999999, "description": "x"})
    assert off_scope.status_code == 400
    food = market.post(
        f"{url}findings/", {"matter": world.food.pk, "description": "货架上有过期酸奶 6 盒", "severity": "moderate"}
    )
    assert food.status_code == 201, food.content
    assert food.json()["team"]["id"] == world.market.pk
    fishing = lead.post(f"{url}findings/", {"matter": world.fishing.pk, "description": "店后河埠头堆放地笼网"})
    assert fishing.status_code == 201
    assert Inspection.objects.get(pk=inspection["id"]).status == "in_progress"

    # The market department files a case straight from its finding (party = the target).
    assert lead.post(f"{FINDINGS}{food.json()['id']}/case/", {}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        case = market.post(f"{FINDINGS}{food.json()['id']}/case/", {"facts": "销售超过保质期的酸奶 6 盒"})
    assert case.status_code == 201, case.content
    assert (case.json()["party_name"], case.json()["finding"]) == ("白塔村便民超市", food.json()["id"])
    pushed = market.get(f"/api/v1/staff/enforcement/cases/{case.json()['id']}/").json()
    assert (pushed["push_status"], pushed["external_id"][:4]) == ("pushed", "SBX-")
    again = market.post(f"{FINDINGS}{food.json()['id']}/case/", {})
    assert again.status_code == 409 and again.json()["code"] == "already_filed"

    # 陶堰's team turns its finding into a report of the loop, routed like any other.
    report = lead.post(f"{FINDINGS}{fishing.json()['id']}/report/")
    assert report.status_code == 201, report.content
    assert (report.json()["channel"], report.json()["team"]["id"]) == ("inspection", world.taoyan_team.pk)
    assert lead.post(f"{FINDINGS}{fishing.json()['id']}/report/").json()["code"] == "already_reported"

    assert market.post(f"{url}complete/", {"summary": "x"}).status_code == 403  # not the lead team
    done = lead.post(f"{url}complete/", {"summary": "一次检查，两个部门，两项问题"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["findings"][0]["case"]["number"] == case.json()["number"]
    assert market.post(f"{url}findings/", {"matter": world.food.pk, "description": "x"}).status_code == 409
    assert Case.objects.count() == 1 and ProblemReport.objects.filter(channel="inspection").count() == 1


def test_a_scenario_brings_its_matters(world, shop, as_user):
    from enforcement.models import Scenario

    scenario = Scenario.objects.create(name="沿街商铺监管一件事", place_kind="沿街商铺")
    scenario.matters.set([world.food, world.fishing])
    response = plan(as_user(world.dispatcher), shop, [], scenario=scenario.pk)
    assert response.status_code == 201
    assert {m["id"] for m in response.json()["matters"]} == {world.food.pk, world.fishing.pk}


def test_a_planned_inspection_can_be_cancelled_by_the_lead(world, shop, as_user):
    created = plan(as_user(world.officer_taoyan), shop, [world.fishing]).json()
    url = f"{INSPECTIONS}{created['id']}/cancel/"
    cancelled = as_user(world.officer_taoyan).post(url, {"reason": "暴雨改期"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert as_user(world.officer_taoyan).post(url, {"reason": "x"}).status_code == 409
