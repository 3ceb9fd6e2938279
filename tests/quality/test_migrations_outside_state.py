"""The test database is built from the models (tests/settings.py): what a migration makes outside
Django's model state must be listed in tests/support/migrations.py's OUTSIDE_STATE to be there too."""

import inspect

from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from tests.support.migrations import OUTSIDE_STATE

RAW_DDL = ("schema_editor.execute", "connection.cursor", "cursor.execute")


def _writes_raw_sql(operation) -> bool:
    if isinstance(operation, migrations.RunSQL):
        return True
    if isinstance(operation, migrations.RunPython):
        source = inspect.getsource(operation.code)
        return any(marker in source for marker in RAW_DDL)
    return False


def test_every_migration_with_raw_ddl_is_run_on_the_test_database():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    raw = {
        key
        for key, migration in loader.disk_migrations.items()
        if any(_writes_raw_sql(operation) for operation in migration.operations)
    }
    assert raw == set(OUTSIDE_STATE)


def test_it_recognises_raw_ddl_in_a_migration_function():
    def forwards(apps, schema_editor):
        schema_editor.execute("CREATE INDEX …")

    def data_only(apps, schema_editor):
        apps.get_model("events", "Event").objects.update(title="x")

    assert _writes_raw_sql(migrations.RunPython(forwards))
    assert _writes_raw_sql(migrations.RunSQL("SELECT 1"))
    assert not _writes_raw_sql(migrations.RunPython(data_only))
