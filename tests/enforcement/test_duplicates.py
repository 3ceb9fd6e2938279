"""Duplicates within ~50 m are offered to the reporter; staff merge them; followers hear the outcome."""

from decimal import Decimal

import pytest

from enforcement.models import ProblemReport, ReportFollower
from enforcement.selectors import haversine_m, reports_nearby
from enforcement.services import reports as report_services
from linli.notifications.models import Notification
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db

REPORTS, STAFF = "/api/v1/enforcement/reports/", "/api/v1/staff/enforcement/reports/"
LAT, LNG = Decimal("30.018100"), Decimal("120.701200")
# 0.0004° of latitude ≈ 44.5 m; 0.0006° ≈ 66.8 m
NEAR, FAR = LAT + Decimal("0.0004"), LAT + Decimal("0.0006")


def body(lat=LAT, lng=LNG, **kw):
    return {"category": "illegal_fishing", "description": "有人捕鱼", "lat": str(lat), "lng": str(lng), **kw}


def test_the_distance_is_the_great_circle_one():
    assert 44 < haversine_m(LAT, LNG, NEAR, LNG) < 45
    assert 66 < haversine_m(LAT, LNG, FAR, LNG) < 67
    assert 40 < haversine_m(LAT, LNG, LAT, LNG + Decimal("0.00045")) < 45  # a degree of longitude is shorter here


def test_it_offers_an_open_report_of_the_same_category_within_50_m(world, reporter, neighbour, as_user):
    first = as_user(reporter).post(REPORTS, body())
    assert first.status_code == 201
    offered = as_user(neighbour).post(REPORTS, body(lat=NEAR))
    assert offered.status_code == 409 and offered.json()["code"] == "possible_duplicate"
    [dup] = offered.json()["duplicates"]
    assert dup["id"] == first.json()["id"] and 44 < dup["distance_m"] < 45
    assert ProblemReport.objects.count() == 1

    # The neighbour follows it instead, and sees it among their reports (not as theirs).
    followed = as_user(neighbour).post(f"{REPORTS}{dup['id']}/follow/")
    assert followed.status_code == 200 and followed.json()["is_mine"] is False
    assert [r["id"] for r in as_user(neighbour).get(REPORTS).json()["results"]] == [dup["id"]]


def test_it_does_not_offer_reports_further_away_of_another_category_or_closed(world, reporter, neighbour, as_user):
    report = make_report(category=world.fishing_cat, reporter=reporter, lat=LAT, lng=LNG)
    assert as_user(neighbour).post(REPORTS, body(lat=FAR)).status_code == 201
    assert as_user(neighbour).post(REPORTS, body(category="food_safety")).status_code == 201
    assert [n.report.pk for n in reports_nearby(category_id=world.fishing_cat.pk, lat=LAT, lng=LNG)] == [report.pk]
    ProblemReport.objects.filter(category=world.fishing_cat).update(status=ProblemReport.Status.CLOSED)
    assert reports_nearby(category_id=world.fishing_cat.pk, lat=LAT, lng=LNG) == []


def test_the_reporter_can_insist_on_a_new_report(world, reporter, neighbour, as_user):
    as_user(reporter).post(REPORTS, body())
    insisted = as_user(neighbour).post(REPORTS, body(lat=NEAR, ignore_duplicates=True))
    assert insisted.status_code == 201 and ProblemReport.objects.count() == 2


def test_staff_merge_a_duplicate_and_everyone_hears_the_outcome(world, reporter, neighbour, as_user):
    primary = make_report(category=world.fishing_cat, reporter=reporter, lat=LAT, lng=LNG)
    duplicate = make_report(category=world.fishing_cat, reporter=neighbour, lat=NEAR, lng=LNG)
    merge_url = f"{STAFF}{duplicate.pk}/merge/"
    assert as_user(world.grid_taoyan).post(merge_url, {"into": primary.pk}).status_code == 403
    merged = as_user(world.officer_taoyan).post(merge_url, {"into": primary.pk, "note": "同一处"})
    assert merged.status_code == 200, merged.content
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("merged", primary.pk)
    assert ReportFollower.objects.filter(report=primary, user=neighbour).exists()
    again = as_user(world.officer_taoyan).post(merge_url, {"into": primary.pk})
    assert again.json()["code"] == "invalid_transition"

    officer = world.officer_taoyan
    report_services.report_accept(report=primary, actor=officer)
    report_services.report_handle(report=primary, actor=officer)
    report_services.report_outcome(report=primary, actor=officer, outcome="rectified")
    report_services.report_feedback(report=primary, actor=officer, feedback="地笼网已全部清除。")
    for person in (reporter, neighbour):
        assert Notification.objects.filter(recipient=person, kind="enforcement.feedback").count() == 1
    # The neighbour sees both: their merged report pointing at the primary, and the primary's feedback.
    seen = {r["id"]: r for r in as_user(neighbour).get(REPORTS).json()["results"]}
    assert seen[duplicate.pk]["merged_into"] == primary.pk
    assert seen[primary.pk]["feedback"] == "地笼网已全部清除。"


def test_merging_needs_the_same_category_and_not_itself(world, reporter, as_user):
    fishing = make_report(category=world.fishing_cat, reporter=reporter, street=world.taoyan)
    food = make_report(category=world.food_cat, reporter=reporter, street=world.taoyan)
    client = as_user(world.dispatcher)
    assert client.post(f"{STAFF}{fishing.pk}/merge/", {"into": fishing.pk}).status_code == 400
    assert client.post(f"{STAFF}{fishing.pk}/merge/", {"into": food.pk}).status_code == 400
    assert client.post(f"{STAFF}{fishing.pk}/merge/", {"into": 999999}).status_code == 400


def test_only_open_public_reports_can_be_followed(world, reporter, neighbour, as_user):
    report = make_report(category=world.fishing_cat, reporter=reporter, street=world.taoyan)
    ProblemReport.objects.filter(pk=report.pk).update(status=ProblemReport.Status.CLOSED)
    assert as_user(neighbour).post(f"{REPORTS}{report.pk}/follow/").status_code == 404
    assert as_user(neighbour).post(f"{REPORTS}999999/follow/").status_code == 404


def test_a_follower_can_stop_following(world, reporter, neighbour, as_user):
    report = make_report(category=world.fishing_cat, reporter=reporter, street=world.taoyan)
    as_user(neighbour).post(f"{REPORTS}{report.pk}/follow/")
    assert as_user(neighbour).post(f"{REPORTS}{report.pk}/unfollow/").status_code == 204
    assert as_user(neighbour).get(REPORTS).json()["count"] == 0
    assert as_user(neighbour).post(f"{REPORTS}{report.pk}/unfollow/").status_code == 404
