"""Team isolation (someone else's report is 404) and what residents may never see."""

import json

import pytest

from enforcement.services import reports as report_services
from tests import factories
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db

STAFF, REPORTS = "/api/v1/staff/enforcement/reports/", "/api/v1/enforcement/reports/"


# who → which of the reports they see in the staff API (None: the staff API is closed to them: 403)
MATRIX = {
    "officer_taoyan": {"taoyan"},
    "grid_taoyan": {"taoyan"},
    "officer_fushan": {"fushan_team"},
    "officer_market": {"market"},
    "officer_agriculture": set(),
    "dispatcher": {"taoyan", "market", "fushan_team"},
    "reporter": None,
    "neighbour": None,
}


@pytest.fixture
def three_reports(world, reporter):
    taoyan = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    market = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    rerouted = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    report_services.report_reroute(report=rerouted, actor=world.dispatcher, team=world.fushan_team, reason="街道处理")
    return {"taoyan": taoyan, "market": market, "fushan_team": rerouted}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_each_person_sees_exactly_the_reports_of_their_teams(who, world, reporter, neighbour, three_reports, as_user):
    people = {"reporter": reporter, "neighbour": neighbour}
    user = people.get(who) or getattr(world, who)
    client = as_user(user)
    expected = MATRIX[who]
    listed = client.get(STAFF)
    if expected is None:
        assert listed.status_code == 403
        assert client.get(f"{STAFF}{three_reports['taoyan'].pk}/").status_code == 403
        return
    assert listed.status_code == 200
    assert {r["id"] for r in listed.json()["results"]} == {three_reports[k].pk for k in expected}
    for key, report in three_reports.items():
        status = client.get(f"{STAFF}{report.pk}/").status_code
        assert status == (200 if key in expected else 404), (who, key)


def test_an_officer_of_taoyan_cannot_see_or_touch_fushans_report(world, three_reports, as_user):
    client, report = as_user(world.officer_taoyan), three_reports["fushan_team"]
    assert client.get(f"{STAFF}{report.pk}/").status_code == 404
    assert client.post(f"{STAFF}{report.pk}/accept/", {}).status_code == 404
    assert client.get(STAFF, {"team": world.fushan_team.pk}).json()["count"] == 0


def test_a_grid_worker_sees_the_reports_they_filed_wherever_they_went(world, as_user):
    body = {"channel": "patrol", "category": "food_safety", "description": "巡查发现", "street": world.fushan.pk}
    filed = as_user(world.grid_taoyan).post(STAFF, body).json()
    assert filed["team"]["id"] == world.market.pk
    assert as_user(world.grid_taoyan).get(f"{STAFF}{filed['id']}/").status_code == 200


def test_residents_see_only_their_own_and_followed_reports(world, reporter, neighbour, three_reports, as_user):
    mine = as_user(reporter).get(REPORTS).json()
    assert mine["count"] == 3 and all(r["is_mine"] for r in mine["results"])
    assert as_user(neighbour).get(REPORTS).json()["count"] == 0
    assert as_user(neighbour).get(f"{REPORTS}{three_reports['taoyan'].pk}/").status_code == 404
    assert as_user(neighbour).post(f"{REPORTS}{three_reports['taoyan'].pk}/rate/", {"rating": 1}).status_code == 404


def test_residents_never_see_officers_internal_notes(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    secret = "内部：当事人系村干部亲属，注意回避"
    officer = world.officer_taoyan
    report_services.report_accept(report=report, actor=officer, note=secret)
    report_services.report_request_extension(report=report, actor=officer, reason=secret, extra_hours=12)
    report_services.report_handle(report=report, actor=officer, note=secret)
    report_services.report_outcome(report=report, actor=officer, outcome="persuaded", note=secret)
    report_services.report_feedback(report=report, actor=officer, feedback="已劝导当事人停止捕捞。")

    response = as_user(reporter).get(f"{REPORTS}{report.pk}/")
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert secret not in text
    assert not {"outcome_note", "history", "team", "assignee", "requests", "escalation_level"} & set(body)
    assert [step["action"] for step in body["timeline"]] == [
        "report",
        "dispatch",
        "accept",
        "handle",
        "outcome",
        "feedback",
    ]
    assert all(set(step) == {"action", "to_status", "created_at"} for step in body["timeline"])
    assert body["feedback"] == "已劝导当事人停止捕捞。"
    listed = json.dumps(as_user(reporter).get(REPORTS).json(), ensure_ascii=False)
    assert secret not in listed
    staff = json.dumps(
        as_user(officer).get(f"/api/v1/staff/enforcement/reports/{report.pk}/").json(), ensure_ascii=False
    )
    assert secret in staff  # the notes are there, for staff


def test_a_stranger_cannot_reach_the_staff_api(as_user, db):
    assert as_user(factories.make_user()).get(STAFF).status_code == 403
