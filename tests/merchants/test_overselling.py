"""No overselling under real concurrency (PostgreSQL row locks)."""

import pytest

from merchants.models import Order, Product
from tests import factories
from tests.conftest import client_for
from tests.merchants.factories import make_owner, make_product
from tests.support.race import race

BUYERS = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_orders_for_ten_in_stock_sell_exactly_ten():
    community = factories.make_community()
    merchant, _ = make_owner(community)
    product = make_product(merchant, name="新米", stock=10)
    buyers = [factories.make_resident() for _ in range(BUYERS)]
    clients = [client_for(user) for user in buyers]

    def buy(client, user):
        response = client.post(
            "/api/v1/market/orders/",
            {"items": [{"product": product.pk, "quantity": 1}]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"buy-{user.pk}",
        )
        return response.status_code, response.json().get("code", "")

    results = race([lambda c=c, u=u: buy(c, u) for c, u in zip(clients, buyers, strict=True)])

    statuses = sorted(code for code, _ in results)
    assert statuses.count(201) == 10, results
    assert statuses.count(409) == 20, results
    assert {code for status, code in results if status == 409} == {"sold_out"}
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.filter(items__product=product).count() == 10
