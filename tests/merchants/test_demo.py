"""seed_demo adds 回龙市集 with products, the rice mill and the cabinet; merchant_huilong can log in."""

from io import StringIO

import pytest
from django.core.management import call_command

from linli.devices.models import Device
from merchants.models import CabinetSlot, Merchant, Order, Product

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Merchant.objects.values_list("name", "community__code", "updated_at")),
        list(Product.objects.order_by("id").values_list("name", "price_fen", "stock", "updated_at")),
        list(Device.objects.filter(merchant_link__isnull=False).values_list("code", "config")),
        list(CabinetSlot.objects.values_list("code", "product__name", "unit_weight_g")),
        list(Order.objects.values_list("number", "status")),
    )


def test_it_seeds_the_market_once(api):
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first

    shop = Merchant.objects.get(name="回龙市集")
    assert shop.community.code == "huilong"
    assert {"衢州椪柑", "常山胡柚", "龙游发糕", "土鸡蛋", "春江月新米"} <= set(
        shop.products.values_list("name", flat=True)
    )
    mill = Device.objects.get(code="baiyun-rice-mill-1")
    assert (mill.community.code, mill.config["price_per_kg_fen"]) == ("baiyun", 600)
    assert CabinetSlot.objects.filter(device__code="huilong-cabinet-1").count() == 4
    assert Order.objects.filter(user__wechat_openid="dev-demo", status="completed").count() == 2

    login = api.post("/api/v1/auth/token/", {"username": "merchant_huilong", "password": "demo12345"}, format="json")
    assert login.status_code == 200
    client = api.__class__()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    assert [m["name"] for m in client.get("/api/v1/merchant/merchants/").json()["results"]] == ["回龙市集"]
    # dev-demo's two past orders and the month of neighbours' orders the console shows
    assert client.get("/api/v1/merchant/orders/").json()["count"] == Order.objects.filter(merchant=shop).count() > 2


def test_the_demo_shops_keep_one_licence_each_and_owners_who_may_own_them():
    from linli.accounts.models import Membership, Role
    from merchants.selectors import is_privileged

    call_command("seed_demo", stdout=StringIO())
    licences = [
        n.strip().upper() for n in Merchant.objects.filter(status="active").values_list("licence_number", flat=True)
    ]
    assert len(licences) == len(set(licences)) >= 3
    members = Membership.objects.filter(role=Role.MERCHANT_MEMBER).select_related("user")
    assert members and not any(is_privileged(m.user) for m in members)
    assert sorted(members.filter(position="owner").values_list("scope_id", flat=True)) == sorted(
        set(members.values_list("scope_id", flat=True))
    )
