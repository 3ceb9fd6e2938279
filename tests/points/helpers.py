"""Makers shared by the points tests and budgets."""

import itertools

from linli.points.models import RedemptionItem
from linli.points.services import award
from tests.support import personas

_seq = itertools.count(1)


def make_item(community, **kw) -> RedemptionItem:
    n = next(_seq)
    defaults = {"name": f"兑换品{n}", "points_price": 50, "stock": 10}
    return RedemptionItem.objects.create(community=community, **{**defaults, **kw})


def resident_with_points(community, points: int = 500, **user):
    person = personas.resident(community, **user).user
    if points:
        award(user=person, amount=points, reason="测试积分", idempotency_key=f"test-seed:{person.pk}")
    return person
