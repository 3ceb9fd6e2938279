"""Data-migration tests: migrate an app back, write rows the old way, migrate forward, check.

    def test_it_keeps_the_rows(to_latest):                  # the fixture restores every app at the end
        old = migrate([("events", "0002_venuebooking_no_overlap")])   # historical models at that state
        ...
        new = migrate([("events", "0003_history")])

Use with `django_db(transaction=True)`: migrations run outside the test's transaction.
"""

import importlib

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def built_from_models() -> bool:
    """The test database was made from the models (tests/settings.py), not by the migrations."""
    return settings.DATABASES["default"].get("TEST", {}).get("MIGRATE", True) is False


# Migrations that change the schema outside Django's model state (raw DDL in RunPython or RunSQL): a
# database built from the models lacks what they make, so `schema_outside_the_models()` runs them on
# it. tests/quality/test_migrations_outside_state.py fails when a migration does this and is not here.
OUTSIDE_STATE = {
    # the exclusion constraint that keeps a venue's active bookings apart (PostgreSQL only)
    ("events", "0002_venuebooking_no_overlap"): "add_constraint",
}


def schema_outside_the_models() -> None:
    """Run the forward function of each OUTSIDE_STATE migration on the test database."""
    for (app, name), function in OUTSIDE_STATE.items():
        module = importlib.import_module(f"{app}.migrations.{name}")
        with connection.schema_editor() as schema_editor:
            getattr(module, function)(None, schema_editor)


def record_every_migration_applied() -> None:
    """A database built from the models holds what the migrations would have made; record them as
    applied so that code reading the migration state (the operations page, the restore drill) sees
    the database it would see in production."""
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    missing = [key for key in MigrationLoader(connection, ignore_no_migrations=True).graph.nodes if key not in applied]
    recorder.Migration.objects.bulk_create([recorder.Migration(app=app, name=name) for app, name in missing])


def migrate(targets: list[tuple[str, str]]):
    """Migrate to `targets` (forwards or backwards); the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest(*, render: bool = True):
    """Every app to its latest migration; the app registry of that state (rendering it takes seconds)."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps if render else None


@pytest.fixture
def to_latest():
    """`to_latest()` migrates every app to its latest migration; the test ends there whatever happens."""
    if built_from_models() and connection.vendor == "sqlite":
        # SQLite rebuilds every table a migration alters: minutes of the README's quick run.
        pytest.skip("data-migration tests run on PostgreSQL (or on SQLite with LINLI_TEST_MIGRATE=1)")
    yield migrate_to_latest
    migrate_to_latest(render=False)
