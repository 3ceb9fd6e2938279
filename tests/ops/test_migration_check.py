"""`manage.py check_migrations`: passes on the project as it is; refuses a new migration that would
break the old code while it still serves, unless it is a reviewed exception.

Each test gives the regions app a migrations package of its own in a temporary directory (copies of
its real migrations, which are in the baseline, plus the new migration under test)."""

import itertools
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import linli.regions
from linli.ops.migration_safety import check

_seq = itertools.count(1)
HEADER = """\
from django.db import migrations, models

import linli.ops.migration_ops


class Migration(migrations.Migration):
    dependencies = [("regions", "{latest}")]
"""


@pytest.fixture
def regions_migration(tmp_path, settings, monkeypatch):
    """`regions_migration(body)` → regions' migrations are its real ones and `9999_new` with `body`."""

    def write(body: str) -> None:
        package = f"ops_check_{next(_seq)}"
        migrations_dir = tmp_path / package / "migrations"
        migrations_dir.mkdir(parents=True)
        (tmp_path / package / "__init__.py").write_text("")
        real = sorted((Path(linli.regions.__file__).parent / "migrations").glob("*.py"))
        for path in real:
            shutil.copy(path, migrations_dir)
        latest = [p.stem for p in real if p.stem[:4].isdigit()][-1]
        header = HEADER.replace("{latest}", latest)
        (migrations_dir / "9999_new.py").write_text(header + textwrap.indent(textwrap.dedent(body), "    "))
        monkeypatch.syspath_prepend(str(tmp_path))
        settings.MIGRATION_MODULES = {"regions": f"{package}.migrations"}

    yield write
    for name in [m for m in sys.modules if m.startswith("ops_check_")]:
        del sys.modules[name]


def _check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("check_migrations", stdout=out, stderr=out)
    return out.getvalue()


def test_the_project_passes_as_it_is():
    assert "migrations safe" in _check()


@pytest.mark.parametrize(
    "operation, problem",
    [
        ('migrations.RemoveField("community", "description")', "drops a column"),
        ('migrations.RenameField("community", "address", "street_address")', "renames a column"),
        ('migrations.RenameModel("Community", "Neighbourhood")', "renames a table"),
        ('migrations.AlterModelTable("community", "regions_neighbourhood")', "renames a table"),
        ('migrations.DeleteModel("Community")', "drops a table"),
        (
            'migrations.AddField("community", "population", models.PositiveIntegerField("人口", default=0))',
            "NOT NULL column without a database default",
        ),
        (
            'migrations.AddIndex("community", models.Index(fields=["name"], name="community_name_idx"))',
            "use AddIndexConcurrently",
        ),
        (
            'migrations.AddConstraint("community", models.UniqueConstraint(fields=["name"], name="name_uniq"))',
            "unique index under a write lock",
        ),
    ],
)
def test_it_refuses_an_operation_unsafe_under_the_old_code(regions_migration, operation, problem):
    regions_migration(f"operations = [{operation}]\n")
    findings, _checked = check()
    assert [(f.migration, problem in f.problem) for f in findings] == [("regions.9999_new", True)]
    with pytest.raises(CommandError, match="1 unsafe operation"):
        _check()


def test_it_refuses_making_a_nullable_column_not_null(regions_migration):
    regions_migration(
        """
        operations = [
            migrations.AddField("community", "population", models.PositiveIntegerField(null=True)),
            migrations.AlterField("community", "population", models.PositiveIntegerField(default=0)),
        ]
        """
    )
    findings, _checked = check()
    assert [f.problem.split(":")[0] for f in findings] == [
        "makes a column NOT NULL while the old code may still write NULL"
    ]


def test_a_concurrent_index_needs_a_non_atomic_migration(regions_migration):
    regions_migration(
        """
        operations = [
            linli.ops.migration_ops.AddIndexConcurrently(
                "community", models.Index(fields=["name"], name="community_name_idx")
            ),
        ]
        """
    )
    with pytest.raises(CommandError):
        _check()


@pytest.mark.parametrize(
    "body",
    [
        # A concurrent index outside a transaction.
        """
        atomic = False
        operations = [
            linli.ops.migration_ops.AddIndexConcurrently(
                "community", models.Index(fields=["name"], name="community_name_idx")
            ),
        ]
        """,
        # NOT NULL with a database default, and a nullable column.
        """
        operations = [
            migrations.AddField("community", "population", models.PositiveIntegerField(db_default=0)),
            migrations.AddField("community", "area_m2", models.PositiveIntegerField(null=True)),
        ]
        """,
        # Step 1 of a drop: the field leaves the code, the column stays.
        """
        operations = [
            migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField("community", "description")]),
        ]
        """,
        # Anything on a table the migration creates itself.
        """
        operations = [
            migrations.CreateModel("Grid", [("id", models.BigAutoField(primary_key=True))]),
            migrations.AddField("grid", "code", models.CharField(max_length=20, default="")),
            migrations.AddIndex("grid", models.Index(fields=["code"], name="grid_code_idx")),
        ]
        """,
        # A reviewed exception.
        """
        reviewed_unsafe = "step 2 of 2: description left the code in the previous release"
        operations = [migrations.RemoveField("community", "description")]
        """,
    ],
    ids=["concurrent index", "db_default or null", "state-only removal", "new table", "reviewed"],
)
def test_it_passes_safe_migrations(regions_migration, body):
    regions_migration(body)
    assert "migrations safe" in _check()
    assert check()[0] == []


@pytest.mark.django_db(transaction=True)
def test_the_recommended_concurrent_index_builds_and_drops_on_this_database():
    # CREATE INDEX CONCURRENTLY on PostgreSQL, a plain CREATE INDEX on SQLite (the embedded default).
    from django.db import connection, models
    from django.db.migrations.loader import MigrationLoader

    from linli.ops.migration_ops import AddIndexConcurrently

    before = MigrationLoader(connection).project_state()
    operation = AddIndexConcurrently("community", models.Index(fields=["name"], name="ops_test_name_idx"))
    after = before.clone()
    operation.state_forwards("regions", after)

    def indexes():
        with connection.cursor() as cursor:
            return connection.introspection.get_constraints(cursor, "regions_community")

    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("regions", editor, before, after)
    assert "ops_test_name_idx" in indexes()
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("regions", editor, after, before)
    assert "ops_test_name_idx" not in indexes()
