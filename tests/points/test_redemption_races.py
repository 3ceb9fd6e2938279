"""Redemption under real concurrency (PostgreSQL, threads): stock exact, a cancel returns once."""

import pytest

from linli.points.models import PointsAccount, PointsEntry, Redemption, RedemptionItem
from linli.points.services import InsufficientPoints, redemption
from tests import factories
from tests.points.helpers import make_item, resident_with_points
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_many_concurrent_redemptions_never_oversell():
    community = factories.make_community()
    item = make_item(community, points_price=10, stock=5)
    people = [resident_with_points(community, 100) for _ in range(12)]

    results = race_n(12, lambda i: redemption.redemption_create(item=item, user=people[i]))

    refused = errors(results)
    assert {type(e).__name__ for e in refused} == {"OutOfStock"}
    assert len(refused) == 7
    assert RedemptionItem.objects.get(pk=item.pk).stock == 0
    assert Redemption.objects.filter(item=item).count() == 5
    assert (
        sorted(PointsAccount.objects.filter(user__in=people).values_list("balance", flat=True)) == [90] * 5 + [100] * 7
    )


def test_one_persons_concurrent_redemptions_stop_at_their_balance_and_give_the_stock_back():
    community = factories.make_community()
    item = make_item(community, points_price=40, stock=10)
    person = resident_with_points(community, 100)

    results = race_n(6, lambda _: redemption.redemption_create(item=item, user=person))

    assert len([r for r in results if isinstance(r, InsufficientPoints)]) == 4
    assert RedemptionItem.objects.get(pk=item.pk).stock == 8  # the refused ones' stock rolled back
    assert PointsAccount.objects.get(user=person).balance == 20


def test_concurrent_cancels_return_points_and_stock_once():
    community = factories.make_community()
    item = make_item(community, points_price=30, stock=3)
    person = resident_with_points(community, 100)
    done = redemption.redemption_create(item=item, user=person)

    results = race_n(8, lambda _: redemption.redemption_cancel(redemption=done, actor=person))

    assert len(errors(results)) == 7
    assert {e.code for e in errors(results)} == {"invalid_transition"}
    assert RedemptionItem.objects.get(pk=item.pk).stock == 3
    assert PointsAccount.objects.get(user=person).balance == 100
    assert PointsEntry.objects.filter(idempotency_key=f"redeem-cancel:{done.pk}").count() == 1


def test_a_verify_racing_a_cancel_lets_exactly_one_win():
    community = factories.make_community()
    staff = factories.make_user()
    factories.grant(staff, "community_staff", community=community)
    item = make_item(community, points_price=30, stock=3)
    person = resident_with_points(community, 100)
    done = redemption.redemption_create(item=item, user=person)

    results = race_n(
        10,
        lambda i: (
            redemption.redemption_verify(code=done.code, actor=staff)
            if i % 2
            else redemption.redemption_cancel(redemption=done, actor=person)
        ),
    )

    assert len(errors(results)) == 9
    final = Redemption.objects.get(pk=done.pk)
    refunded = PointsAccount.objects.get(user=person).balance == 100
    assert (final.status == "cancelled") == refunded
    assert RedemptionItem.objects.get(pk=item.pk).stock == (3 if refunded else 2)
