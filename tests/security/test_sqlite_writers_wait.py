"""Finding 7: the embedded SQLite default answered 500 ("database is locked") to concurrent writes.

A deferred SQLite transaction that reads and then writes cannot wait for another writer: the lock
upgrade fails at once, whatever the busy timeout. The embedded default now begins every
transaction with the write lock (`transaction_mode=IMMEDIATE`), so writers queue instead.

The suite's SQLite database lives in memory; these tests copy it into a file and let real threads
write to that file, as runserver's request threads and eager Celery tasks do in the embedded default.
"""

import sqlite3

import pytest
from django.conf import settings
from django.db import connection, connections

from merchants.models import Product
from tests import factories
from tests.conftest import client_for
from tests.merchants.factories import make_owner, make_product
from tests.support.race import race


@pytest.fixture
def sqlite_file(tmp_path):
    """Run the test's threads against a file copy of the test database (taken when called)."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded SQLite default only")
    in_memory = connections.settings["default"]
    path = tmp_path / "db.sqlite3"

    def copy_to_file():
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        # Connections opened from now on (the racing threads') use the file. This thread's connection
        # keeps its own settings, which still name the in-memory database: were they changed too, a
        # close of it would be real (Django ignores one only on an in-memory database) and drop the
        # test database for every later test of this process.
        connections.settings["default"] = {**in_memory, "NAME": str(path)}

    yield copy_to_file
    connections.settings["default"] = in_memory


def test_the_embedded_default_takes_the_write_lock_when_a_transaction_begins():
    assert settings.SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert settings.SQLITE_OPTIONS["timeout"] >= 5


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_market_orders_on_sqlite_wait_instead_of_failing(sqlite_file):
    community = factories.make_community()
    merchant, _ = make_owner(community)
    product = make_product(merchant, name="新米", stock=10)
    buyers = [factories.make_resident() for _ in range(20)]
    clients = [client_for(user) for user in buyers]
    sqlite_file()

    def buy(client, user):
        response = client.post(
            "/api/v1/market/orders/",
            {"items": [{"product": product.pk, "quantity": 1}]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"buy-{user.pk}",
        )
        return response.status_code, response.json().get("code", "")

    results = race([lambda c=c, u=u: buy(c, u) for c, u in zip(clients, buyers, strict=True)])

    assert not [r for r in results if isinstance(r, BaseException)], results
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 10, results
    assert statuses.count(409) == 10, results
    [stock] = race([lambda: Product.objects.get(pk=product.pk).stock])
    assert stock == 0
