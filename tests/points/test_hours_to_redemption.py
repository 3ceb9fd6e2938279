"""End to end: volunteer hours earn points under the rule's cap, the points buy a voucher, the merchant
verifies it, and the statement tells the story."""

from decimal import Decimal

from linli.points.earning import points_earn
from linli.points.models import EarningRule
from tests import factories
from tests.merchants.factories import add_member, make_merchant
from tests.points.helpers import resident_with_points

ITEMS, CATALOGUE = "/api/v1/staff/points/items/", "/api/v1/points/catalogue/"


def test_hours_become_points_become_a_voucher_the_merchant_accepts(as_user, community, staff):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=20, daily_cap=100)
    volunteer = resident_with_points(community, 0)
    for hours in (Decimal("3.5"), Decimal("2")):  # 70 + 40 → capped at 100 today
        points_earn(
            user=volunteer, rule="volunteer_hour", community=community, source=factories.make_street(), quantity=hours
        )

    market = make_merchant(community, name="回龙市集")
    seller = factories.make_user()
    add_member(market, seller)
    item = (
        as_user(staff)
        .post(
            ITEMS,
            {
                "community": community.pk,
                "name": "市集 5 元券",
                "kind": "voucher",
                "points_price": 80,
                "stock": 3,
                "merchant_type": "merchants.merchant",
                "merchant_id": market.pk,
            },
            format="json",
        )
        .json()
    )

    redeemed = as_user(volunteer).post(f"{CATALOGUE}{item['id']}/redeem/", headers={"Idempotency-Key": "e2e"})
    assert redeemed.status_code == 201, redeemed.json()
    verified = as_user(seller).post(
        "/api/v1/merchant/points/redemptions/verify/", {"code": redeemed.json()["code"]}, format="json"
    )
    assert verified.json()["status"] == "verified"

    statement = as_user(volunteer).get("/api/v1/points/statement/").json()
    assert (statement["earned"], statement["spent"], statement["closing_balance"]) == (100, 80, 20)
    assert statement["earned_by_rule"][0]["points"] == 100
