"""A team returns a mis-routed report or asks for more time; the dispatcher decides; all in the history."""

from datetime import timedelta

import pytest

from enforcement.models import ProblemReport, ReportRequest
from linli.notifications.models import Notification
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db

STAFF, REQUESTS = "/api/v1/staff/enforcement/reports/", "/api/v1/staff/enforcement/requests/"


@pytest.fixture
def report(world, reporter):
    return make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)


def test_a_return_needs_the_dispatchers_approval(world, report, as_user):
    officer, dispatcher = as_user(world.officer_taoyan), as_user(world.dispatcher)
    asked = officer.post(f"{STAFF}{report.pk}/return/", {"reason": "该水域属府山街道"})
    assert asked.status_code == 201, asked.content
    request_id = asked.json()["id"]
    assert ProblemReport.objects.get(pk=report.pk).team == world.taoyan_team  # nothing moved yet
    assert Notification.objects.filter(recipient=world.dispatcher, kind="enforcement.dispatch").exists()
    again = officer.post(f"{STAFF}{report.pk}/extension/", {"reason": "再等等", "extra_hours": 4})
    assert again.status_code == 409 and again.json()["code"] == "request_pending"

    denied = officer.post(f"{REQUESTS}{request_id}/decide/", {"approve": True})
    assert denied.status_code == 403 and denied.json()["code"] == "not_dispatcher"
    assert [r["id"] for r in dispatcher.get(REQUESTS, {"status": "pending"}).json()["results"]] == [request_id]

    approved = dispatcher.post(
        f"{REQUESTS}{request_id}/decide/", {"approve": True, "team": world.agriculture.pk, "note": "改由农业局"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    report.refresh_from_db()
    assert (report.status, report.team) == ("dispatched", world.agriculture)
    assert dispatcher.post(f"{REQUESTS}{request_id}/decide/", {"approve": False}).status_code == 409
    history = [e["action"] for e in dispatcher.get(f"{STAFF}{report.pk}/").json()["history"]]
    assert history == ["report", "dispatch", "request_return", "return_approved", "dispatch"]
    assert Notification.objects.filter(recipient=world.officer_taoyan, kind="enforcement.request_decided").exists()


def test_an_approved_return_without_a_team_goes_back_to_the_dispatcher(world, report, as_user):
    asked = as_user(world.officer_taoyan).post(f"{STAFF}{report.pk}/return/", {"reason": "不属本队"}).json()
    as_user(world.dispatcher).post(f"{REQUESTS}{asked['id']}/decide/", {"approve": True})
    report.refresh_from_db()
    assert (report.status, report.team, report.deadline_at) == ("reported", None, None)
    assert as_user(world.officer_taoyan).get(f"{STAFF}{report.pk}/").status_code == 404


def test_an_extension_moves_the_deadline_when_approved_and_not_when_rejected(world, report, as_user):
    officer, dispatcher = as_user(world.officer_taoyan), as_user(world.dispatcher)
    deadline = report.deadline_at
    first = officer.post(f"{STAFF}{report.pk}/extension/", {"reason": "需要夜间蹲守", "extra_hours": 12}).json()
    dispatcher.post(f"{REQUESTS}{first['id']}/decide/", {"approve": False, "note": "时限内可完成"})
    report.refresh_from_db()
    assert report.deadline_at == deadline
    second = officer.post(f"{STAFF}{report.pk}/extension/", {"reason": "需要夜间蹲守", "extra_hours": 12}).json()
    dispatcher.post(f"{REQUESTS}{second['id']}/decide/", {"approve": True})
    report.refresh_from_db()
    assert report.deadline_at == deadline + timedelta(hours=12)
    assert ReportRequest.objects.filter(report=report).count() == 2
    actions = [e["action"] for e in dispatcher.get(f"{STAFF}{report.pk}/").json()["history"]]
    assert actions[-4:] == ["request_extension", "extension_rejected", "request_extension", "extension_approved"]


def test_requests_need_an_open_report_and_valid_hours(world, report, as_user):
    officer = as_user(world.officer_taoyan)
    assert officer.post(f"{STAFF}{report.pk}/extension/", {"reason": "x", "extra_hours": 0}).status_code == 400
    ProblemReport.objects.filter(pk=report.pk).update(status=ProblemReport.Status.CLOSED)
    assert officer.post(f"{STAFF}{report.pk}/return/", {"reason": "x"}).json()["code"] == "invalid_transition"


def test_teams_see_their_own_requests_only(world, report, as_user):
    as_user(world.officer_taoyan).post(f"{STAFF}{report.pk}/return/", {"reason": "不属本队"})
    assert as_user(world.officer_taoyan).get(REQUESTS).json()["count"] == 1
    assert as_user(world.officer_market).get(REQUESTS).json()["count"] == 0
