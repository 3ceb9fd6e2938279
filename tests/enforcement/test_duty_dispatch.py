"""Duty dispatch: a report routed to a squad is offered to its on-duty officer nearest the report;
unanswered in time, the beat job offers it to the next one; every step is in the timeline."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from enforcement.models import DispatchOffer, ProblemReport
from enforcement.services.dispatch import offers_expire
from linli.notifications.models import Notification
from tests.enforcement.factories import JUST_IN_TAOYAN, make_report, make_wetland

pytestmark = pytest.mark.django_db

Offer = DispatchOffer.Status
SHIFTS = "/api/v1/staff/enforcement/shifts/"


def _roster(as_user, wetland, *officers, by=None):
    body = {
        "team": wetland.taoyan_squad.pk,
        "date": "2026-05-01",
        "starts_at": "2026-05-01T08:00:00+08:00",
        "ends_at": "2026-05-01T20:00:00+08:00",
        "officers": [o.pk for o in officers],
    }
    return as_user(by or wetland.he).post(SHIFTS, body, format="json")


def _fishing(world, reporter):
    return make_report(category=world.fishing_cat, reporter=reporter, lat=JUST_IN_TAOYAN[0], lng=JUST_IN_TAOYAN[1])


def test_an_unanswered_offer_goes_to_the_next_nearest_officer_on_duty(world, reporter, as_user):
    wetland = make_wetland(world)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False) as clock:
        assert _roster(as_user, wetland, wetland.he, wetland.lu).status_code == 201
        # 陆晨's app puts him ~100 m from the report; 何伟 has no position: the squad office (~1.4 km) counts
        moved = as_user(wetland.lu).post(
            "/api/v1/staff/enforcement/position/", {"lat": "30.000500", "lng": "120.688500"}, format="json"
        )
        assert moved.status_code == 200, moved.content
        report = _fishing(world, reporter)
        first = DispatchOffer.objects.get(report=report)
        assert (first.officer, first.status, first.position_source) == (wetland.lu, Offer.PENDING, "app")
        assert first.expires_at == timezone.now() + timedelta(minutes=10)  # the default window
        assert Notification.objects.filter(recipient=wetland.lu, kind="enforcement.offer").exists()

        clock.shift(timedelta(minutes=9))
        assert offers_expire() == 0  # not yet
        clock.shift(timedelta(minutes=2))
        assert offers_expire() == 1
        assert offers_expire() == 0  # idempotent

        first.refresh_from_db()
        second = DispatchOffer.objects.get(report=report, status=Offer.PENDING)
        assert (first.status, second.officer, second.position_source) == (Offer.EXPIRED, wetland.he, "office")
        late = as_user(wetland.lu).post(f"/api/v1/staff/enforcement/offers/{first.pk}/accept/", {}, format="json")
        assert late.status_code == 409 and late.json()["code"] == "offer_closed"
        taken = as_user(wetland.he).post(f"/api/v1/staff/enforcement/offers/{second.pk}/accept/", {}, format="json")
        assert taken.status_code == 200, taken.content
        assert taken.json()["status"] == "accepted"

    report.refresh_from_db()
    assert (report.status, report.assignee) == (ProblemReport.Status.ACCEPTED, wetland.he)
    steps = list(report.history.order_by("created_at", "id").values_list("action", flat=True))
    assert steps == ["report", "dispatch", "offer", "offer_timeout", "reassign", "accept"]


def test_when_everyone_declines_the_leader_is_told(world, reporter, as_user):
    wetland = make_wetland(world)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        _roster(as_user, wetland, wetland.he, wetland.lu, by=world.dispatcher)
        report = _fishing(world, reporter)
        for _ in range(2):
            offer = DispatchOffer.objects.get(report=report, status=Offer.PENDING)
            url = f"/api/v1/staff/enforcement/offers/{offer.pk}/decline/"
            assert as_user(offer.officer).post(url, {"reason": "正在处置另一起"}, format="json").status_code == 200
    assert not DispatchOffer.objects.filter(report=report, status=Offer.PENDING).exists()
    assert report.history.filter(action="no_officer").count() == 1
    assert Notification.objects.filter(recipient=wetland.he, title="值班派单无人接单").exists()


def test_a_squad_officer_accepting_directly_settles_the_pending_offer(world, reporter, as_user):
    wetland = make_wetland(world)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        _roster(as_user, wetland, wetland.lu)
        report = _fishing(world, reporter)
        offer = DispatchOffer.objects.get(report=report)
        url = f"/api/v1/staff/enforcement/reports/{report.pk}/accept/"
        assert as_user(wetland.he).post(url, {}, format="json").status_code == 200
    offer.refresh_from_db()
    assert offer.status == Offer.WITHDRAWN


def test_no_roster_means_no_offer_and_the_squad_is_told_as_before(world, reporter):
    wetland = make_wetland(world)
    report = _fishing(world, reporter)
    assert report.team == wetland.taoyan_squad and not report.offers.exists()
    assert Notification.objects.filter(recipient=wetland.lu, kind="enforcement.report").exists()


def test_rosters_and_offers_are_scoped(world, reporter, as_user):
    wetland = make_wetland(world)
    assert _roster(as_user, wetland, wetland.lu, by=wetland.lu).status_code == 403  # not the leader
    stranger = _roster(as_user, wetland, wetland.lu, wetland.shen)
    assert stranger.status_code == 400 and "officers" in stranger.json()["fields"]
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        shift = _roster(as_user, wetland, wetland.lu).json()
        offer = DispatchOffer.objects.get(report=_fishing(world, reporter))
    other = as_user(wetland.shen)
    assert other.get(f"{SHIFTS}{shift['id']}/").status_code == 404
    assert other.get(f"/api/v1/staff/enforcement/offers/{offer.pk}/").status_code == 404
    assert other.post(f"/api/v1/staff/enforcement/offers/{offer.pk}/accept/", {}, format="json").status_code == 404
    # the squad's leader sees the offer but only the offered officer may take it
    denied = as_user(wetland.he).post(f"/api/v1/staff/enforcement/offers/{offer.pk}/accept/", {}, format="json")
    assert denied.status_code == 403
    assert as_user(world.dispatcher).get(f"{SHIFTS}?team={wetland.taoyan_squad.pk}").json()["count"] == 1
    assert as_user(reporter).post("/api/v1/staff/enforcement/position/", {"lat": "30", "lng": "120"}).status_code == 403
