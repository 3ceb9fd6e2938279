"""Routing: the matter and the place decide the team (赋权清单: township × matter × since-date)."""

from datetime import date

import pytest
import time_machine

from enforcement.models import Empowerment, ProblemReport, ReportHistory
from linli.notifications.models import Notification
from tests.enforcement.factories import FUSHAN_SEAT, TAOYAN_SEAT, make_report

pytestmark = pytest.mark.django_db

Status = ProblemReport.Status


def test_it_sends_an_empowered_matter_to_the_townships_team(world, reporter):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    assert (report.status, report.team) == (Status.DISPATCHED, world.taoyan_team)
    assert report.deadline_at == report.dispatched_at + world.fishing.deadline
    event = report.history.get(action=ReportHistory.Action.DISPATCH)
    assert event.actor is None and "赋权清单" in event.note
    assert Notification.objects.filter(recipient=world.officer_taoyan, kind="enforcement.report").exists()


def test_it_sends_the_same_matter_elsewhere_to_the_district_department(world, reporter):
    report = make_report(category=world.fishing_cat, street=world.fushan, reporter=reporter)
    assert report.team == world.agriculture


def test_it_sends_a_matter_nobody_was_empowered_for_to_the_district_department(world, reporter):
    report = make_report(category=world.food_cat, street=world.taoyan, reporter=reporter)
    assert report.team == world.market


@time_machine.travel("2022-12-31 12:00 +0800", tick=False)
def test_it_routes_to_the_district_before_the_empowerment_starts(world, reporter):
    assert make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter).team == world.agriculture


@time_machine.travel("2025-06-01 12:00 +0800", tick=False)
def test_it_routes_to_the_district_after_the_empowerment_is_withdrawn(world, reporter):
    Empowerment.objects.filter(street=world.taoyan).update(until=date(2025, 1, 1))
    assert make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter).team == world.agriculture


def test_it_finds_the_township_from_the_location_when_no_street_is_given(world, reporter):
    lat, lng = TAOYAN_SEAT
    report = make_report(category=world.fishing_cat, reporter=reporter, lat=lat, lng=lng)
    assert (report.street, report.team) == (world.taoyan, world.taoyan_team)
    lat, lng = FUSHAN_SEAT
    report = make_report(category=world.fishing_cat, reporter=reporter, lat=lat, lng=lng)
    assert (report.street, report.team) == (world.fushan, world.agriculture)


def test_a_matter_without_a_department_waits_for_the_dispatcher(world, reporter):
    world.food.domain.department = None
    world.food.domain.save()
    report = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    assert (report.status, report.team) == (Status.REPORTED, None)
    assert Notification.objects.filter(recipient=world.dispatcher, kind="enforcement.dispatch").count() == 1


def test_the_dispatcher_dispatches_a_waiting_report_and_officers_cannot(world, reporter, as_user):
    world.food.domain.department = None
    world.food.domain.save()
    report = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    url = f"/api/v1/staff/enforcement/reports/{report.pk}/dispatch/"
    denied = as_user(world.officer_market).post(url, {"team": world.market.pk})
    assert denied.status_code == 404  # not theirs to see yet
    response = as_user(world.dispatcher).post(url, {"team": world.market.pk, "note": "食品类"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["team"]["id"]) == ("dispatched", world.market.pk)
    again = as_user(world.dispatcher).post(url, {"team": world.market.pk})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_the_dispatcher_reroutes_with_a_reason_and_it_stays_in_the_history(world, reporter, as_user):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    url = f"/api/v1/staff/enforcement/reports/{report.pk}/reroute/"
    assert as_user(world.officer_taoyan).post(url, {"team": world.market.pk, "reason": "x"}).status_code == 403
    missing = as_user(world.dispatcher).post(url, {"team": world.market.pk})
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    response = as_user(world.dispatcher).post(url, {"team": world.agriculture.pk, "reason": "涉及跨街道水域"})
    assert response.status_code == 200
    body = response.json()
    assert body["team"]["id"] == world.agriculture.pk
    assert [e["action"] for e in body["history"]] == ["report", "dispatch", "reroute"]
    assert "涉及跨街道水域" in body["history"][-1]["note"]
