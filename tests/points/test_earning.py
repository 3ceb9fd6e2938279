"""points_earn(): the rule decides the amount, caps hold per day and month, one award per source."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.points.earning import points_earn
from linli.points.models import EarningAward, EarningRule, PointsAccount, PointsEntry
from tests import factories
from tests.support.race import errors, race_n

SHANGHAI = ZoneInfo("Asia/Shanghai")


def balance(user) -> int:
    return PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def sources(n: int):
    """Saved objects to point awards at (any model will do: the ledger keeps a content type and an id)."""
    return [factories.make_street(name=f"来源{i}") for i in range(n)]


@pytest.mark.django_db
def test_a_communitys_own_rule_wins_over_the_default_and_an_inactive_one_switches_it_off(
    resident, community, other_community
):
    EarningRule.objects.create(key="work_order_rated", points_per_unit=5)
    own = EarningRule.objects.create(key="work_order_rated", community=community, points_per_unit=8)
    first, second, third = sources(3)

    assert points_earn(user=resident, rule="work_order_rated", community=community, source=first).amount == 8
    assert points_earn(user=resident, rule="work_order_rated", community=other_community, source=second).amount == 5
    own.active = False
    own.save()
    assert points_earn(user=resident, rule="work_order_rated", community=community, source=third) is None
    assert points_earn(user=resident, rule="class_attended", community=community, source=third) is None
    assert balance(resident) == 13


@pytest.mark.django_db
def test_fractional_hours_are_floored_and_each_source_awards_once(resident, community):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)
    (shift,) = sources(1)

    entry = points_earn(
        user=resident, rule="volunteer_hour", community=community, source=shift, quantity=Decimal("2.55")
    )
    again = points_earn(user=resident, rule="volunteer_hour", community=community, source=shift, quantity=3)

    assert (entry.amount, again.pk) == (25, entry.pk)
    assert entry.source == shift and entry.idempotency_key == f"earn:volunteer_hour:regions.street:{shift.pk}"
    award = EarningAward.objects.get()
    assert (award.quantity, award.points, award.community, award.entry) == (Decimal("2.55"), 25, community, entry)
    assert balance(resident) == 25


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [0, -1, "abc", float("nan")])
def test_it_refuses_a_non_positive_or_non_numeric_quantity(resident, community, quantity):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)
    with pytest.raises(ValueError):
        points_earn(user=resident, rule="volunteer_hour", community=community, source=sources(1)[0], quantity=quantity)


@pytest.mark.django_db
def test_daily_and_monthly_caps_cut_the_award_and_reset_with_the_shanghai_calendar(resident, community):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10, daily_cap=25, monthly_cap=40)
    shifts = iter(sources(6))

    def earn(hours):
        entry = points_earn(
            user=resident, rule="volunteer_hour", community=community, source=next(shifts), quantity=hours
        )
        return entry.amount if entry else None

    # 23:30 on the 31st in Shanghai is still October there (15:30 UTC).
    with time_machine.travel(datetime(2026, 10, 30, 9, 0, tzinfo=SHANGHAI), tick=False) as clock:
        assert earn(2) == 20
        assert earn(2) == 5  # what is left of today's 25
        assert earn(1) is None  # nothing left today
        clock.move_to(datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI))
        assert earn(3) == 15  # the month's 40 is reached before the day's 25
        clock.move_to(datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI))
        assert earn(3) == 25  # a new month and a new day
    assert balance(resident) == 65
    assert EarningAward.objects.filter(capped=True).count() == 3


@pytest.mark.django_db
def test_an_unknown_rule_or_a_source_shared_between_people_is_a_programming_error(resident, community):
    EarningRule.objects.create(key="class_attended", points_per_unit=5)
    (session,) = sources(1)
    with pytest.raises(ValueError):
        points_earn(user=resident, rule="nonsense", community=community, source=session)
    points_earn(user=resident, rule="class_attended", community=community, source=session)
    with pytest.raises(ValueError):
        points_earn(user=factories.make_resident(), rule="class_attended", community=community, source=session)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_never_pass_the_daily_cap():
    user, community = factories.make_resident(), factories.make_community()
    EarningRule.objects.create(key="class_attended", points_per_unit=10, daily_cap=35)
    lessons = sources(8)

    results = race_n(8, lambda i: points_earn(user=user, rule="class_attended", community=community, source=lessons[i]))

    assert errors(results) == []
    assert sorted(entry.amount for entry in results if entry is not None) == [5, 10, 10, 10]
    assert balance(user) == 35
    assert sum(PointsEntry.objects.filter(account__user=user).values_list("amount", flat=True)) == 35


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_for_one_source_move_points_once():
    user, community = factories.make_resident(), factories.make_community()
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)
    (shift,) = sources(1)

    results = race_n(
        6, lambda _: points_earn(user=user, rule="volunteer_hour", community=community, source=shift, quantity=2)
    )

    assert errors(results) == []
    assert len({entry.pk for entry in results}) == 1
    assert balance(user) == 20
    assert EarningAward.objects.count() == 1
