"""Quality-gate registrations for the points endpoints (see tests/quality/registry.py)."""

import itertools

from linli.points.models import ManualAdjustment
from linli.points.services import award, redemption
from tests import factories
from tests.points.helpers import make_item, resident_with_points
from tests.support import personas

_seq = itertools.count(1)


def entries(persona, n):
    for _ in range(n):
        award(user=persona.user, amount=5, reason="签到", idempotency_key=f"budget:{next(_seq)}")


def items(persona, n):
    for _ in range(n):
        make_item(persona.community)


def voucher_items(persona, n):
    from tests.merchants.factories import make_merchant

    for _ in range(n):
        make_item(persona.community, kind="voucher", merchant=make_merchant(persona.community))


def _redeemer(persona):
    """The persona redeems when it is a resident there (the fuzzer also runs this as staff)."""
    if persona.name == "resident" and persona.user is not None:
        award(user=persona.user, amount=10_000, reason="测试", idempotency_key=f"budget:{next(_seq)}")
        return persona.user
    return resident_with_points(persona.community, 10_000)


def my_redemptions(persona, n):
    user = _redeemer(persona)
    for _ in range(n):
        redemption.redemption_create(item=make_item(persona.community), user=user)


def community_redemptions(persona, n):
    for _ in range(n):
        user = resident_with_points(persona.community, 100)
        redemption.redemption_create(item=make_item(persona.community), user=user)


def merchant_redemptions(persona, n):
    from tests.merchants.budgets import _my_shop

    shop = _my_shop(persona)
    item = make_item(persona.community, kind="voucher", merchant=shop, stock=1000)
    for _ in range(n):
        redemption.redemption_create(item=item, user=resident_with_points(persona.community, 100))


def adjustments(persona, n):
    staff = persona.user if persona.name == "staff" else personas.staff(persona.community).user
    for _ in range(n):
        user = resident_with_points(persona.community, 0)
        entry = award(user=user, amount=5, reason="社区奖励", idempotency_key=f"budget:{next(_seq)}")
        ManualAdjustment.objects.create(
            community=persona.community, staff=staff, user=user, amount=5, reason="好人好事", entry=entry
        )


def one_item(persona):
    return {"id": make_item(persona.community).pk}


def one_redemption(persona):
    return {"id": redemption.redemption_create(item=make_item(persona.community), user=_redeemer(persona)).pk}


def statement(persona):
    entries(persona, 3)
    return {}


LIST_DATA = {
    "/api/v1/points/": ("resident", entries),
    "/api/v1/points/catalogue/": ("resident", voucher_items),
    "/api/v1/points/redemptions/": ("resident", my_redemptions),
    "/api/v1/staff/points/items/": ("staff", voucher_items),
    "/api/v1/staff/points/redemptions/": ("staff", community_redemptions),
    "/api/v1/staff/points/adjustments/": ("staff", adjustments),
    "/api/v1/merchant/points/redemptions/": ("merchant", merchant_redemptions),
}
# 1 token user, 1 memberships, then the object (item: +1 merchant prefetch only when it has one).
DETAIL_BUDGETS = {
    "/api/v1/points/catalogue/{id}/": ("resident", one_item, 3),
    "/api/v1/points/redemptions/{id}/": ("resident", one_redemption, 2),
    "/api/v1/staff/points/items/{id}/": ("staff", one_item, 3),
    "/api/v1/staff/points/redemptions/{id}/": ("staff", one_redemption, 3),
    "/api/v1/points/statement/": ("resident", statement, 4),
}


def give_points(user):
    award(user=user, amount=30, reason="志愿服务", idempotency_key=f"privacy:{user.pk}")
    community = factories.make_community()
    factories.grant(user, "resident", community=community)
    redemption.redemption_create(item=make_item(community, name="环保袋", points_price=20), user=user)
    return []  # the ledger and redemptions stay (pointing at the anonymised account); they name no one


PRIVACY_DATA = {"points": give_points}
EXPORT_QUERIES = {"points": 4}  # the account's balance, its entries, redemptions with items, adjustments
