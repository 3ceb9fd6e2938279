"""Data-migration tests: migrate an app back, write rows the old way, migrate forward, check.

    def test_it_keeps_the_rows(to_latest):                  # the fixture restores every app at the end
        old = migrate([("events", "0002_venuebooking_no_overlap")])   # historical models at that state
        ...
        new = migrate([("events", "0003_history")])

Use with `django_db(transaction=True)`: migrations run outside the test's transaction.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]):
    """Migrate to `targets` (forwards or backwards); the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def to_latest():
    """`to_latest()` migrates every app to its latest migration; the test ends there whatever happens."""
    yield migrate_to_latest
    migrate_to_latest()
