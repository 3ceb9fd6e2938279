"""A resident's report that turns out real earns points by the district's rule, once."""

import pytest

from enforcement.models import ProblemReport
from enforcement.services import reports as report_services
from linli.points.models import EarningRule, PointsEntry
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db


def close_with(world, report, outcome):
    report.refresh_from_db()
    report_services.report_accept(report=report, actor=world.officer_taoyan)
    report_services.report_handle(report=report, actor=world.officer_taoyan)
    report_services.report_outcome(report=report, actor=world.officer_taoyan, outcome=outcome)


def test_it_awards_the_resident_whose_report_was_real_and_only_them(world, reporter, neighbour):
    EarningRule.objects.create(key="problem_report_confirmed", points_per_unit=10, daily_cap=30)
    real = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    bogus = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=neighbour)
    by_grid = make_report(world, category=world.fishing_cat, street=world.taoyan, channel=ProblemReport.Channel.GRID)

    close_with(world, real, "rectified")
    close_with(world, bogus, "not_valid")
    close_with(world, by_grid, "rectified")

    [entry] = PointsEntry.objects.all()
    assert (entry.account.user, entry.amount, entry.source) == (reporter, 10, real)
