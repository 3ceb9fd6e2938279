"""The demo: default earning rules, catalogues in 斗潭 and 白云, and 张大爷 redeeming the 回龙市集 voucher
that merchant_huilong verifies (docs/demo.md)."""

from io import StringIO

import pytest
from django.core.management import call_command

from linli.accounts.models import User
from linli.points.models import EarningRule

pytestmark = pytest.mark.django_db


def test_zhang_daye_redeems_the_market_voucher_and_the_market_verifies_it(as_user):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent: nothing doubles
    zhang = as_user(User.objects.get(wechat_openid="dev-demo"))
    assert EarningRule.objects.filter(community=None).count() == 5

    catalogue = zhang.get("/api/v1/points/catalogue/").json()["results"]
    assert [row["name"] for row in catalogue] == ["春江月小区停车 1 天", "洗衣液 1 瓶", "回龙市集 10 元代金券"]
    voucher = catalogue[-1]
    assert voucher["merchant_name"] == "回龙市集"
    code = zhang.post(f"/api/v1/points/catalogue/{voucher['id']}/redeem/").json()["code"]
    assert zhang.get("/api/v1/points/").json()["balance"] == 95  # 195 (with the events demo's volunteer hours) − 100

    market = as_user(User.objects.get(username="merchant_huilong"))
    verified = market.post("/api/v1/merchant/points/redemptions/verify/", {"code": code}, format="json")
    assert verified.json()["status"] == "verified"
    staff = as_user(User.objects.get(username="staff_doutan"))
    assert staff.get("/api/v1/staff/points/items/").json()["count"] == 3
