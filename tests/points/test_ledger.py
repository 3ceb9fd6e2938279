"""The ledger: idempotent by key, never negative, consistent under concurrent spends."""

import pytest

from linli.points.models import PointsAccount, PointsEntry
from linli.points.services import InsufficientPoints, award, refund, spend
from tests import factories
from tests.support.race import errors, race_n


@pytest.mark.django_db
def test_awarding_twice_with_the_same_key_moves_points_once(resident):
    first = award(user=resident, amount=50, reason="活动签到", idempotency_key="event:7:checkin:1")
    again = award(user=resident, amount=50, reason="活动签到", idempotency_key="event:7:checkin:1")
    assert again.pk == first.pk
    assert PointsAccount.objects.get(user=resident).balance == 50
    assert PointsEntry.objects.count() == 1


@pytest.mark.django_db
def test_spending_more_than_the_balance_is_refused_and_changes_nothing(resident):
    award(user=resident, amount=10, reason="签到", idempotency_key="a")
    with pytest.raises(InsufficientPoints) as caught:
        spend(user=resident, amount=11, reason="购物", idempotency_key="b")
    assert caught.value.status_code == 409
    assert PointsAccount.objects.get(user=resident).balance == 10
    assert not PointsEntry.objects.filter(idempotency_key="b").exists()


@pytest.mark.django_db
def test_a_refund_gives_points_back_once(resident):
    award(user=resident, amount=10, reason="签到", idempotency_key="a")
    spend(user=resident, amount=10, reason="购物", idempotency_key="order:1:spend")
    refund(user=resident, amount=10, reason="订单取消", idempotency_key="order:1:refund")
    refund(user=resident, amount=10, reason="订单取消", idempotency_key="order:1:refund")
    assert PointsAccount.objects.get(user=resident).balance == 10
    assert list(PointsEntry.objects.order_by("id").values_list("balance_after", flat=True)) == [10, 0, 10]


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0, -5])
def test_it_refuses_non_positive_amounts(resident, amount):
    with pytest.raises(ValueError):
        award(user=resident, amount=amount, reason="x", idempotency_key="x")
    with pytest.raises(ValueError):
        spend(user=resident, amount=amount, reason="x", idempotency_key="y")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_spends_never_drive_the_balance_negative():
    user = factories.make_resident()
    award(user=user, amount=100, reason="初始", idempotency_key="seed")
    threads_count, amount = 8, 30  # floor(100 / 30) = 3 may succeed

    def worker(n):
        try:
            spend(user=user, amount=amount, reason="抢购", idempotency_key=f"spend:{n}")
        except InsufficientPoints:
            return "insufficient"
        return "ok"

    outcomes = race_n(threads_count, worker)

    assert outcomes.count("ok") == 100 // amount
    assert outcomes.count("insufficient") == threads_count - 100 // amount
    account = PointsAccount.objects.get(user=user)
    assert account.balance == 100 - amount * (100 // amount)
    assert sum(PointsEntry.objects.filter(account=account).values_list("amount", flat=True)) == account.balance


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_with_one_key_move_points_once():
    user = factories.make_resident()
    award(user=user, amount=1, reason="开户", idempotency_key="open")
    results = race_n(5, lambda _: award(user=user, amount=20, reason="活动签到", idempotency_key="event:1:checkin"))
    assert errors(results) == []
    assert PointsAccount.objects.get(user=user).balance == 21
    assert PointsEntry.objects.filter(idempotency_key="event:1:checkin").count() == 1
