"""The closed loop through the API, with overdue escalation under a moved clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from enforcement.models import ProblemReport
from enforcement.tasks import escalate_overdue
from linli.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 5, 6, 9, 0, tzinfo=SHANGHAI)
REPORTS, STAFF = "/api/v1/enforcement/reports/", "/api/v1/staff/enforcement/reports/"


def overdue_notices(user):
    return Notification.objects.filter(recipient=user, kind="enforcement.overdue")


def test_a_report_goes_round_the_whole_loop_and_overdue_steps_escalate_once(world, reporter, as_user):
    officer, leader, dispatcher = world.officer_taoyan, world.leader_taoyan, world.dispatcher
    with time_machine.travel(START, tick=False) as clock:
        created = as_user(reporter).post(
            REPORTS,
            {
                "category": "illegal_fishing",
                "description": "鉴湖边有人在禁渔期用地笼网捕鱼",
                "photos": [factories.make_upload(reporter).pk],
                "lat": "30.018100",
                "lng": "120.701200",
                "address": "陶堰街道白塔村",
            },
        )
        assert created.status_code == 201, created.content
        report_id = created.json()["id"]
        assert created.json()["status"] == "dispatched"

        # Tokens live 30 minutes: every step under the moved clock logs in again.
        def staff():
            return as_user(officer)

        detail = f"{STAFF}{report_id}/"
        assert staff().get(detail).json()["team"]["id"] == world.taoyan_team.pk

        assert staff().post(f"{detail}handle/", {}).json()["code"] == "invalid_transition"
        assert staff().post(f"{detail}accept/", {"note": "收到"}).status_code == 200

        # 24 h deadline passes: the beat tells the team leader, once.
        clock.move_to(START + timedelta(hours=25))
        assert escalate_overdue.delay().get() == 1
        assert escalate_overdue.delay().get() == 0
        assert overdue_notices(leader).count() == 1 and overdue_notices(dispatcher).count() == 0
        listed = staff().get(STAFF, {"overdue": "true"}).json()
        assert [r["id"] for r in listed["results"]] == [report_id]
        assert listed["results"][0]["escalation_level"] == 1

        # A day later it is still open: the district command centre hears of it, once.
        clock.move_to(START + timedelta(hours=24 + 24 + 1))
        assert escalate_overdue.delay().get() == 1
        assert escalate_overdue.delay().get() == 0
        assert overdue_notices(dispatcher).count() == 1 and overdue_notices(leader).count() == 1

        clock.move_to(START + timedelta(hours=50))
        assert staff().post(f"{detail}handle/", {"note": "到达现场"}).status_code == 200
        outcome = staff().post(f"{detail}outcome/", {"outcome": "persuaded", "note": "当事人系外地游客，内部备注"})
        assert outcome.status_code == 200 and outcome.json()["status"] == "resolved"
        assert staff().post(f"{detail}close/", {}).json()["code"] == "invalid_transition"
        fed = staff().post(f"{detail}feedback/", {"feedback": "已劝离，收缴地笼网 2 条。"})
        assert fed.status_code == 200 and fed.json()["status"] == "feedback"
        assert Notification.objects.filter(recipient=reporter, kind="enforcement.feedback").count() == 1

        rated = as_user(reporter).post(f"{REPORTS}{report_id}/rate/", {"rating": 5, "comment": "处理很快"})
        assert rated.status_code == 200 and rated.json()["rating"] == 5
        assert as_user(reporter).post(f"{REPORTS}{report_id}/rate/", {"rating": 4}).json()["code"] == "already_rated"

        closed = staff().post(f"{detail}close/", {})
        assert closed.status_code == 200
    history = [(e["action"], e["to_status"]) for e in closed.json()["history"]]
    assert history == [
        ("report", "reported"),
        ("dispatch", "dispatched"),
        ("accept", "accepted"),
        ("escalate", "accepted"),
        ("escalate", "accepted"),
        ("handle", "handling"),
        ("outcome", "resolved"),
        ("feedback", "feedback"),
        ("rate", "feedback"),
        ("close", "closed"),
    ]
    report = ProblemReport.objects.get(pk=report_id)
    assert (report.outcome, report.escalation_level, report.closed_at is not None) == ("persuaded", 2, True)


def test_only_the_teams_officers_act_on_a_report(world, reporter, as_user):
    created = as_user(reporter).post(
        REPORTS, {"category": "illegal_fishing", "description": "捕鱼", "lat": "30.0181", "lng": "120.7012"}
    )
    url = f"{STAFF}{created.json()['id']}/accept/"
    grid = as_user(world.grid_taoyan).post(url, {})
    assert grid.status_code == 403 and grid.json()["code"] == "not_team_officer"
    assert as_user(world.officer_fushan).post(url, {}).status_code == 404
    assert as_user(world.officer_taoyan).post(url, {}).status_code == 200


def test_case_filed_outcome_files_a_case_from_the_report(world, reporter, as_user, django_capture_on_commit_callbacks):
    created = as_user(reporter).post(
        REPORTS, {"category": "food_safety", "description": "过期牛奶", "lat": "30.0181", "lng": "120.7012"}
    )
    staff, detail = as_user(world.officer_market), f"{STAFF}{created.json()['id']}/"
    staff.post(f"{detail}accept/", {})
    staff.post(f"{detail}handle/", {})
    missing = staff.post(f"{detail}outcome/", {"outcome": "case_filed"})
    assert missing.status_code == 400 and "case" in missing.json()["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"{detail}outcome/",
            {"outcome": "case_filed", "case": {"party_name": "白塔村小卖部", "facts": "经营过期乳制品 12 盒"}},
        )
    assert response.status_code == 200, response.content
    [case] = response.json()["cases"]
    assert case["number"].startswith("越综执立〔")
    case_detail = staff.get(f"/api/v1/staff/enforcement/cases/{case['id']}/").json()
    assert (case_detail["report"], case_detail["push_status"]) == (created.json()["id"], "pushed")
    assert case_detail["external_id"].startswith("SBX-")  # the sandbox receiver recorded it


def test_a_grid_worker_files_and_the_hotline_is_for_the_command_centre(world, as_user):
    body = {"channel": "grid", "category": "illegal_fishing", "description": "网格巡查发现", "street": world.taoyan.pk}
    filed = as_user(world.grid_taoyan).post(STAFF, body)
    assert filed.status_code == 201, filed.content
    assert (filed.json()["channel"], filed.json()["team"]["id"]) == ("grid", world.taoyan_team.pk)
    hotline = {**body, "channel": "hotline", "contact_name": "张先生", "contact_phone": "13800001234"}
    assert as_user(world.grid_taoyan).post(STAFF, hotline).json()["code"] == "not_dispatcher"
    taken = as_user(world.dispatcher).post(STAFF, hotline)
    assert taken.status_code == 201 and taken.json()["contact_phone"] == "13800001234"
    nowhere = as_user(world.grid_taoyan).post(STAFF, {**body, "street": None})
    assert nowhere.status_code == 400 and "street" in nowhere.json()["fields"]
