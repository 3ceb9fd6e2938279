"""Real concurrency on PostgreSQL: the database decides who gets the last quota and who sends."""

import pytest

from linli.notifications import services
from linli.notifications.models import Delivery, Notification, SubscriptionQuota
from tests import factories
from tests.notifications.conftest import TEMPLATE, sends
from tests.notifications.factories import give_quota
from tests.support.race import errors, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Delivery.Status


def _run_together(*calls):
    results = race(calls)
    assert errors(results) == []
    return results


@pytest.fixture(autouse=True)
def _no_enqueue(monkeypatch):
    """Committed notify() would run the eager tasks at once: here the threads send."""
    monkeypatch.setattr(services, "enqueue_dispatch", lambda ids: None)
    monkeypatch.setattr(services, "_enqueue_sends", lambda ids: None)


def _deliveries(user, n):
    for i in range(n):
        services.notify(user, "work_order.assigned", f"消息 {i}", "")
    services.notifications_dispatch(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    return list(Delivery.objects.order_by("pk"))


def test_two_sends_race_for_the_last_quota_and_one_wins(wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=2)
    first, second = _deliveries(user, 2)
    SubscriptionQuota.objects.filter(user=user).update(remaining=1)
    results = _run_together(
        lambda: services.delivery_send(delivery_id=first.pk), lambda: services.delivery_send(delivery_id=second.pk)
    )
    assert sorted(results) == [S.SENT, S.SKIPPED]
    assert SubscriptionQuota.objects.get(user=user).remaining == 0
    assert len(sends(wechat)) == 1


def test_the_same_delivery_sent_by_two_workers_at_once_goes_out_once(wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=5)
    (delivery,) = _deliveries(user, 1)
    results = _run_together(*[lambda: services.delivery_send(delivery_id=delivery.pk)] * 3)
    assert results.count(S.SENT) >= 1  # the losers answer the winner's state: sending or sent
    assert len(sends(wechat)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (S.SENT, 1)
    assert SubscriptionQuota.objects.get(user=user).remaining == 4
