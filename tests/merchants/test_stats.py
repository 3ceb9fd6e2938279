"""Merchant sales statistics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from merchants.models import Order
from tests import factories
from tests.merchants.factories import make_order, make_owner, make_paid_order, make_product

pytestmark = pytest.mark.django_db


def test_it_sums_paid_orders_refunds_and_top_products(as_user, community):
    merchant, owner = make_owner(community)
    ponkan = make_product(merchant, name="衢州椪柑", price_fen=400, stock=100)
    cake = make_product(merchant, name="龙游发糕", price_fen=1800, stock=100)
    buyer = factories.make_resident()
    make_paid_order(buyer, ponkan, 5)
    refunded = make_paid_order(buyer, cake, 1)
    as_user(owner).post(f"/api/v1/merchant/orders/{refunded.pk}/refund/", {"amount_fen": 800, "reason": "压坏"})
    make_order(buyer, cake, 3)  # unpaid: not a sale
    old = make_paid_order(buyer, ponkan, 1)
    Order.objects.filter(pk=old.pk).update(paid_at=timezone.now() - timedelta(days=60))

    body = as_user(owner).get("/api/v1/merchant/stats/").json()
    assert (body["orders"], body["gross_fen"], body["refunded_fen"], body["net_fen"]) == (2, 3800, 800, 3000)
    assert body["pending_orders"] == 3  # all three paid orders still wait for the merchant
    assert [(p["name"], p["quantity"], p["sales_fen"]) for p in body["top_products"]] == [
        ("衢州椪柑", 5, 2000),
        ("龙游发糕", 1, 1800),
    ]
    assert sum(day["orders"] for day in body["by_day"]) == 2

    wider = (
        as_user(owner)
        .get("/api/v1/merchant/stats/", {"date_from": (timezone.localdate() - timedelta(days=90)).isoformat()})
        .json()
    )
    assert wider["orders"] == 3
