"""The console's 积分兑换 widget: the catalogue on offer and this month's redemptions by item."""

from datetime import timedelta

from django.utils import timezone

from linli.console.registry import Scope
from linli.points.dashboard import redemptions
from linli.points.services import redemption
from tests import factories
from tests.points.helpers import make_item, resident_with_points


def test_it_counts_this_months_redemptions_by_item_without_the_cancelled(community):
    bag, rice = make_item(community, name="环保袋", points_price=10, stock=5), make_item(community, name="大米")
    person = resident_with_points(community, 500)
    for item in (bag, bag, rice):
        redemption.redemption_create(item=item, user=person)
    cancelled = redemption.redemption_create(item=rice, user=person)
    redemption.redemption_cancel(redemption=cancelled, actor=person)
    today = timezone.localdate()

    data = redemptions.compute(Scope([community.pk], end=today))

    assert {m.key: m.value for m in data.metrics} == {
        "redemptions": 3,
        "points": 70,
        "verified": 0,
        "on_offer": 2,
        "stock": 3 + 9,
    }
    assert data.breakdown == [("环保袋", 2), ("大米", 1)]
    assert redemptions.compute(Scope([factories.make_community().pk], end=today - timedelta(days=1))) is None
