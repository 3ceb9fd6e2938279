"""First wins, decided by the database: the offered officer's accept against another officer's
direct accept, and against the beat job timing the offer out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import DispatchOffer, ProblemReport, Shift
from enforcement.services import dispatch as dispatch_services
from enforcement.services import reports as report_services
from linli.api.errors import DomainError
from tests.enforcement.factories import JUST_IN_TAOYAN, make_report, make_wetland, make_world
from tests.support.race import errors, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Offer = DispatchOffer.Status


def _offered(world, wetland):
    now = timezone.now()
    shift = Shift.objects.create(
        team=wetland.taoyan_squad, date=now.date(), starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    shift.officers.set([wetland.lu, wetland.he])
    report = make_report(category=world.fishing_cat, lat=JUST_IN_TAOYAN[0], lng=JUST_IN_TAOYAN[1])
    return report, DispatchOffer.objects.get(report=report, status=Offer.PENDING)


def test_one_accept_wins_between_the_offered_officer_and_a_direct_accept():
    world = make_world()
    wetland = make_wetland(world)
    report, offer = _offered(world, wetland)
    offered = offer.officer
    other = wetland.he if offered == wetland.lu else wetland.lu
    results = race(
        [lambda: dispatch_services.offer_accept(offer=offer, actor=offered) for _ in range(3)]
        + [lambda: report_services.report_accept(report=report, actor=other) for _ in range(3)]
    )
    assert len(results) - len(errors(results)) == 1
    assert all(isinstance(e, DomainError) and e.status_code == 409 for e in errors(results))
    report.refresh_from_db()
    offer.refresh_from_db()
    assert report.status == ProblemReport.Status.ACCEPTED
    assert offer.status == (Offer.ACCEPTED if report.assignee == offered else Offer.WITHDRAWN)
    assert report.history.filter(action="accept").count() == 1


def test_an_accept_and_the_timeout_job_never_both_win():
    world = make_world()
    wetland = make_wetland(world)
    report, offer = _offered(world, wetland)
    after = offer.expires_at + timedelta(seconds=1)  # the job's clock is past the time, the officer's not
    results = race(
        [lambda: dispatch_services.offer_accept(offer=offer, actor=offer.officer)]
        + [lambda: dispatch_services.offer_expire(offer_id=offer.pk, now=after) for _ in range(3)]
    )
    accepted = not isinstance(results[0], Exception)
    expired = sum(r is True for r in results[1:])
    assert accepted + expired == 1, results
    offer.refresh_from_db()
    report.refresh_from_db()
    if accepted:
        assert (offer.status, report.assignee, report.status) == (Offer.ACCEPTED, offer.officer, "accepted")
        assert not report.offers.filter(status=Offer.PENDING).exists()
    else:
        assert results[0].code == "offer_closed" and offer.status == Offer.EXPIRED
        assert report.offers.get(status=Offer.PENDING).officer != offer.officer
