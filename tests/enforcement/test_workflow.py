"""Every enforcement status flow goes through the platform workflow: a step its status does not
allow is 409 invalid_transition naming the current status, and each step leaves a history row."""

import pytest
from django.utils import timezone

from enforcement import provincial
from enforcement.models import Case, Inspection, ProblemReport, ReportRequest
from enforcement.services import cases as case_services
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/enforcement/"


def steps(history):
    return [(h.action, h.from_status, h.to_status, h.actor) for h in history]


# --- problem reports -----------------------------------------------------------------------------


def test_it_refuses_a_report_step_its_status_does_not_allow(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    answer = as_user(world.officer_taoyan).post(f"{STAFF}reports/{report.pk}/close/", {})
    assert answer.status_code == 409
    assert answer.json() == {
        "code": "invalid_transition",
        "message": "问题线索当前为「已派遣」，不能办结",
        "status": "dispatched",
    }
    assert ProblemReport.objects.get(pk=report.pk).status == "dispatched"


def test_it_writes_a_report_history_row_for_each_step(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    officer = world.officer_taoyan
    assert as_user(officer).post(f"{STAFF}reports/{report.pk}/accept/", {"note": "收到"}).status_code == 200
    assert steps(report.history.all()) == [
        ("report", "", "reported", reporter),
        ("dispatch", "reported", "dispatched", None),
        ("accept", "dispatched", "accepted", officer),
    ]
    assert [h.team for h in report.history.all()] == [None, world.taoyan_team, world.taoyan_team]
    assert report.history.last().note == "收到"


def test_it_records_steps_that_keep_the_status_as_internal_history(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    asked = as_user(world.officer_taoyan).post(
        f"{STAFF}reports/{report.pk}/extension/", {"reason": "需要夜间蹲守", "extra_hours": 12}
    )
    assert asked.status_code == 201
    step = report.history.last()
    assert (step.action, step.from_status, step.to_status, step.actor, step.internal) == (
        "request_extension",
        "dispatched",
        "dispatched",
        world.officer_taoyan,
        True,
    )
    timeline = as_user(reporter).get(f"/api/v1/enforcement/reports/{report.pk}/").json()["timeline"]
    assert [t["action"] for t in timeline] == ["report", "dispatch"]


def test_it_saves_the_new_matter_and_deadline_of_a_rerouted_report(world, reporter):
    from enforcement.services.reports import report_reroute

    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    report_reroute(report=report, actor=world.dispatcher, team=world.market, reason="实为食品问题", matter=world.food)
    report.refresh_from_db()
    assert (report.matter, report.team, report.status) == (world.food, world.market, "dispatched")
    assert report.deadline_at - report.dispatched_at == world.food.deadline
    rerouted = report.history.last()
    assert (rerouted.action, rerouted.from_status, rerouted.team) == ("reroute", "dispatched", world.market)


# --- return and extension requests ---------------------------------------------------------------


def test_it_refuses_to_decide_a_request_twice(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    asked = as_user(world.officer_taoyan).post(
        f"{STAFF}reports/{report.pk}/extension/", {"reason": "蹲守", "extra_hours": 6}
    )
    dispatcher = as_user(world.dispatcher)
    assert dispatcher.post(f"{STAFF}requests/{asked.json()['id']}/decide/", {"approve": True}).status_code == 200
    again = dispatcher.post(f"{STAFF}requests/{asked.json()['id']}/decide/", {"approve": False})
    assert again.status_code == 409
    assert again.json() == {
        "code": "invalid_transition",
        "message": "退回/延期申请当前为「已批准」，不能再审批",
        "status": "approved",
    }


def test_it_writes_a_request_history_row_for_filing_and_deciding(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    asked = as_user(world.officer_taoyan).post(f"{STAFF}reports/{report.pk}/return/", {"reason": "属府山街道"})
    as_user(world.dispatcher).post(
        f"{STAFF}requests/{asked.json()['id']}/decide/", {"approve": False, "note": "本队处理"}
    )
    request = ReportRequest.objects.get(pk=asked.json()["id"])
    assert steps(request.history.all()) == [
        ("request", "", "pending", world.officer_taoyan),
        ("reject", "pending", "rejected", world.dispatcher),
    ]
    assert [h.note for h in request.history.all()] == ["属府山街道", "本队处理"]


# --- joint inspections ---------------------------------------------------------------------------


def plan_inspection(world, as_user):
    from tests.enforcement.factories import make_target

    shop = make_target(world.taoyan, name="白塔村便民超市")
    body = {"target": shop.pk, "matters": [world.fishing.pk], "planned_at": "2031-05-06T09:00:00+08:00"}
    created = as_user(world.officer_taoyan).post(f"{STAFF}inspections/", body)
    assert created.status_code == 201, created.content
    return Inspection.objects.get(pk=created.json()["id"])


def test_it_refuses_to_cancel_an_inspection_under_way(world, as_user):
    inspection = plan_inspection(world, as_user)
    lead = as_user(world.officer_taoyan)
    lead.post(f"{STAFF}inspections/{inspection.pk}/findings/", {"matter": world.fishing.pk, "description": "地笼网"})
    refused = lead.post(f"{STAFF}inspections/{inspection.pk}/cancel/", {"reason": "改期"})
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "invalid_transition",
        "message": "综合查一次当前为「检查中」，不能取消检查",
        "status": "in_progress",
    }


def test_it_writes_an_inspection_history_row_for_each_step(world, as_user):
    inspection = plan_inspection(world, as_user)
    lead = as_user(world.officer_taoyan)
    lead.post(f"{STAFF}inspections/{inspection.pk}/findings/", {"matter": world.fishing.pk, "description": "地笼网"})
    lead.post(f"{STAFF}inspections/{inspection.pk}/complete/", {"summary": "已检查完毕"})
    officer = world.officer_taoyan
    assert steps(inspection.history.all()) == [
        ("plan", "", "planned", officer),
        ("start", "planned", "in_progress", officer),
        ("complete", "in_progress", "completed", officer),
    ]
    assert inspection.history.last().note == "已检查完毕"
    done = lead.post(f"{STAFF}inspections/{inspection.pk}/complete/", {"summary": "再完成一次"})
    assert done.json() == {
        "code": "invalid_transition",
        "message": "综合查一次当前为「已完成」，不能完成检查",
        "status": "completed",
    }


# --- cases ---------------------------------------------------------------------------------------


def file_case(world, as_user):
    created = as_user(world.officer_market).post(
        f"{STAFF}cases/",
        {"matter": world.food.pk, "party_name": "某超市", "facts": "过期食品", "team": world.market.pk},
    )
    assert created.status_code == 201, created.content
    return Case.objects.get(pk=created.json()["id"])


def test_it_refuses_a_case_step_its_status_does_not_allow(world, as_user):
    case = file_case(world, as_user)
    refused = as_user(world.officer_market).post(f"{STAFF}cases/{case.pk}/close/", {})
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "invalid_transition",
        "message": "案件当前为「已立案」，不能结案",
        "status": "filed",
    }


def test_it_writes_a_case_history_row_for_each_step_and_provincial_event(world, as_user):
    case = file_case(world, as_user)
    market = as_user(world.officer_market)
    assert market.post(f"{STAFF}cases/{case.pk}/investigate/", {"note": "现场取证"}).status_code == 200
    assert case_services.case_push(case_id=case.pk) is True  # the sandbox province
    case.refresh_from_db()
    update = provincial.CaseUpdate(
        update_id="u-1", external_id=case.external_id, status="受理", occurred_at=timezone.now(), note="", raw={}
    )
    assert case_services.platform_update_apply(update) is True
    officer = world.officer_market
    assert steps(case.history.all()) == [
        ("file", "", "filed", officer),
        ("investigate", "filed", "investigating", officer),
        ("pushed", "investigating", "investigating", None),
        ("platform_update", "investigating", "investigating", None),
    ]
    assert [h.note for h in case.history.all()][1:] == ["现场取证", f"省平台编号 {case.external_id}", "省平台：受理"]
