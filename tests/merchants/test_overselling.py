"""No overselling under real concurrency (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from merchants.models import Order, Product
from tests import factories
from tests.conftest import client_for
from tests.merchants.factories import make_owner, make_product

BUYERS = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_orders_for_ten_in_stock_sell_exactly_ten():
    community = factories.make_community()
    merchant, _ = make_owner(community)
    product = make_product(merchant, name="新米", stock=10)
    buyers = [factories.make_resident() for _ in range(BUYERS)]
    barrier = threading.Barrier(BUYERS)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def buy(user):
        try:
            client = client_for(user)
            barrier.wait()
            response = client.post(
                "/api/v1/market/orders/",
                {"items": [{"product": product.pk, "quantity": 1}]},
                format="json",
                HTTP_IDEMPOTENCY_KEY=f"buy-{user.pk}",
            )
            with lock:
                results.append((response.status_code, response.json().get("code", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(user,)) for user in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(code for code, _ in results)
    assert statuses.count(201) == 10, results
    assert statuses.count(409) == 20, results
    assert {code for status, code in results if status == 409} == {"sold_out"}
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.filter(items__product=product).count() == 10
