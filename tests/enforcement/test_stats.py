"""GET /api/v1/staff/enforcement/stats/: joint inspections, problems, cases, channels, outcomes, timeliness."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from enforcement.services import inspections as inspection_services
from enforcement.services import reports as report_services
from tests.enforcement.factories import make_report, make_target
from tests.quality.query_budget import assert_num_queries

pytestmark = pytest.mark.django_db

STATS = "/api/v1/staff/enforcement/stats/"
DAY = datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def handle(report, officer, outcome, hours, clock):
    report_services.report_accept(report=report, actor=officer)
    report_services.report_handle(report=report, actor=officer)
    clock.shift(timedelta(hours=hours))
    report_services.report_outcome(report=report, actor=officer, outcome=outcome)


@pytest.fixture
def history(world, reporter, django_capture_on_commit_callbacks):
    with time_machine.travel(DAY, tick=False) as clock:
        on_time = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
        handle(on_time, world.officer_taoyan, "persuaded", 4, clock)  # 24 h deadline
        late = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
        handle(late, world.officer_taoyan, "rectified", 30, clock)
        make_report(category=world.food_cat, street=world.fushan, channel="hotline")
        target = make_target(world.taoyan)
        inspection = inspection_services.inspection_plan(
            actor=world.dispatcher, target=target, matters=[world.fishing, world.food], planned_at=DAY
        )
        finding = inspection_services.inspection_finding_add(
            inspection=inspection, actor=world.officer_market, matter=world.food, description="过期食品"
        )
        inspection_services.finding_file_case(finding=finding, actor=world.officer_market)
        inspection_services.inspection_complete(inspection=inspection, actor=world.dispatcher)


def test_the_district_sees_everything(world, history, as_user):
    with time_machine.travel(DAY + timedelta(days=3)):
        client = as_user(world.dispatcher)
        response = client.get(STATS, {"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["joint_inspections"], body["replaced_inspections"], body["problems_found"], body["cases_filed"]) == (
        1,
        2,
        1,
        1,
    )
    assert body["reports"] == 3
    channels = {c["key"]: c["count"] for c in body["reports_by_channel"]}
    assert (channels["resident"], channels["hotline"], channels["camera"]) == (2, 1, 0)
    outcomes = {c["key"]: c["count"] for c in body["reports_by_outcome"]}
    assert (outcomes["persuaded"], outcomes["rectified"], outcomes["case_filed"]) == (1, 1, 0)
    assert body["on_time_rate"] == 0.5
    assert body["median_handling_hours"] == 17.0  # median of 4 h and 30 h
    teams = {t["team"]["name"]: t for t in body["per_team"]}
    assert teams["陶堰综合执法队"]["reports"] == 2 and teams["陶堰综合执法队"]["on_time_rate"] == 0.5
    assert teams["区市场监管局"]["cases_filed"] == 1 and teams["区市场监管局"]["joint_inspections"] == 1


def test_a_period_without_anything_is_zero(world, history, as_user):
    body = as_user(world.dispatcher).get(STATS, {"from": "2024-01-01", "to": "2024-01-31"}).json()
    assert (body["reports"], body["joint_inspections"], body["on_time_rate"], body["per_team"]) == (0, 0, None, [])


def test_a_team_sees_only_itself(world, history, as_user):
    client = as_user(world.officer_market)
    body = client.get(STATS, {"from": "2025-03-01", "to": "2025-03-31"}).json()
    assert [t["team"]["name"] for t in body["per_team"]] == ["区市场监管局"]
    assert (body["reports"], body["cases_filed"], body["joint_inspections"]) == (1, 1, 1)
    assert client.get(STATS, {"team": world.taoyan_team.pk}).status_code == 404
    assert client.get(STATS, {"from": "2025-03-31", "to": "2025-03-01"}).status_code == 400


def test_it_costs_a_fixed_number_of_queries(world, history, as_user):
    client = as_user(world.dispatcher)
    params = {"from": "2025-03-01", "to": "2025-03-31"}
    client.get(STATS, params)
    # 1 token user, 1 team membership (permission), 1 is_dispatcher, 9 of enforcement_stats: participations per
    # team, joint inspections, participations, findings, cases per team, reports per channel, reports per team,
    # resolutions, the teams
    with assert_num_queries(12, label="stats"):
        client.get(STATS, params)
