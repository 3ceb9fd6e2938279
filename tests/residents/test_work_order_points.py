"""Rating a work order earns points through the 评价工单 rule, once per work order."""

from linli.points.models import EarningRule, PointsEntry
from tests.residents.factories import make_work_order

MINE = "/api/v1/residents/work-orders/"


def test_rating_a_work_order_earns_the_rules_points_once(as_user, owner, room, category, handler, community):
    EarningRule.objects.create(key="work_order_rated", community=community, points_per_unit=5)
    order = make_work_order(owner, room=room, category=category, upto="resolved", handler=handler)

    assert as_user(owner).post(f"{MINE}{order.pk}/confirm/", {"rating": 4}, format="json").status_code == 200
    assert as_user(owner).post(f"{MINE}{order.pk}/confirm/", {"rating": 4}, format="json").status_code == 409

    entry = PointsEntry.objects.get(account__user=owner)
    assert (entry.amount, entry.reason, entry.source) == (5, "评价工单", order)
