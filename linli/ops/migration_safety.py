"""Is a migration safe to run while the previous release still serves? (`manage.py check_migrations`)

A deployment migrates first and switches the code after, so for a while the *old* code runs on the
*new* schema, and a migration that locks a big table stops every request touching it. Refused,
on tables that existed before the migration (a table it creates itself is nobody's yet):

* dropping or renaming a column, renaming or dropping a table: the old code still reads them.
  Two steps instead: release 1 stops using it (remove the field from the model with
  `SeparateDatabaseAndState(state_operations=[...])`, or add the new column and write both),
  release 2 drops the old column or table;
* a NOT NULL column without a *database* default (`db_default`): the old code inserts rows without
  it. A Python `default=` is not enough — Django drops the column default after filling the rows;
* making a nullable column NOT NULL: the old code may still write NULL;
* `AddIndex` or a unique `AddConstraint`: PostgreSQL blocks writes while it builds the index. Use
  `linli.ops.migration_ops.AddIndexConcurrently` in a migration with `atomic = False`.

Migrations listed in the baseline file (everything that existed when the check was introduced)
are not checked. A reviewed exception says so in the migration itself, with the reason:

    class Migration(migrations.Migration):
        reviewed_unsafe = "the table holds 9 rows (the street list); the lock lasts milliseconds"
"""

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.models.fields import NOT_PROVIDED

from linli.ops.migration_ops import AddIndexConcurrently

BASELINE = Path(__file__).resolve().parent / "migrations_baseline.txt"
REVIEW_ATTRIBUTE = "reviewed_unsafe"


@dataclass(frozen=True)
class Finding:
    migration: str  # "app_label.name"
    operation: str
    problem: str

    def __str__(self):
        return f"{self.migration}: {self.operation}: {self.problem}"


def project_app_labels() -> set[str]:
    """The apps whose code lives in this project (third-party migrations are theirs to get right)."""
    root = Path(settings.BASE_DIR).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and ".venv" not in path.parts and "site-packages" not in path.parts:
            labels.add(config.label)
    return labels


def read_baseline(path: Path = BASELINE) -> set[str]:
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def write_baseline(names: set[str], path: Path = BASELINE) -> None:
    header = (
        "# Migrations that existed before `manage.py check_migrations` (linli/ops/migration_safety.py): not checked.\n"
    )
    path.write_text(header + "".join(f"{name}\n" for name in sorted(names)))


def project_migrations(loader: MigrationLoader) -> dict[str, migrations.Migration]:
    labels = project_app_labels()
    return {f"{app}.{name}": m for (app, name), m in loader.disk_migrations.items() if app in labels}


def _database_operations(operation) -> list:
    # What reaches the database: the database half of SeparateDatabaseAndState, not its state half.
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        return list(operation.database_operations)
    return [operation]


def check_migration(loader: MigrationLoader, migration) -> list[Finding]:
    """The problems of one migration. Each operation is judged against the state just before it (so
    an AlterField sees a column an earlier operation of the same migration added); operations on
    tables the migration creates itself are fine."""
    app = migration.app_label
    label = f"{app}.{migration.name}"
    state = loader.project_state((app, migration.name), at_end=False)
    existed = {name for (app_label, name) in state.models if app_label == app}
    findings = []

    def refuse(operation, problem):
        findings.append(Finding(label, operation.describe(), problem))

    def field_before(model_name, field_name):
        model = state.models.get((app, model_name.lower()))
        return model.fields.get(field_name) if model else None

    for operation in migration.operations:
        for op in _database_operations(operation):
            model_name = (getattr(op, "model_name", None) or getattr(op, "name", "") or "").lower()
            if not isinstance(op, migrations.CreateModel) and model_name in existed:
                _judge(op, migration, state, field_before, refuse)
        operation.state_forwards(app, state)
    return findings


def _judge(op, migration, state, field_before, refuse) -> None:
    if isinstance(op, migrations.RemoveField):
        refuse(op, "drops a column the old code still reads: stop using it in one release, drop it in the next")
    elif isinstance(op, migrations.RenameField):
        field = field_before(op.model_name, op.old_name)
        if field is None or not field.db_column:
            refuse(op, "renames a column under the old code: add the new column and write both, then drop the old")
    elif isinstance(op, migrations.RenameModel):
        model = state.models.get((migration.app_label, op.old_name_lower))
        if model is None or not model.options.get("db_table"):
            refuse(op, "renames a table under the old code: keep db_table, or copy in two releases")
    elif isinstance(op, migrations.AlterModelTable):
        refuse(op, "renames a table under the old code: copy in two releases")
    elif isinstance(op, migrations.DeleteModel):
        refuse(op, "drops a table the old code still reads: stop using it in one release, drop it in the next")
    elif isinstance(op, migrations.AddField):
        field = op.field
        if not field.many_to_many and not field.null and field.db_default is NOT_PROVIDED:
            refuse(
                op,
                "adds a NOT NULL column without a database default: the old code inserts rows without it "
                "(use db_default=…, or null=True first)",
            )
    elif isinstance(op, migrations.AlterField):
        old = field_before(op.model_name, op.name)
        if old is not None and old.null and not op.field.null:
            refuse(op, "makes a column NOT NULL while the old code may still write NULL: do it a release later")
    elif isinstance(op, AddIndexConcurrently | _django_concurrent()):
        if migration.atomic:
            refuse(op, "a concurrent index needs `atomic = False` on the migration")
    elif isinstance(op, migrations.AddIndex):
        refuse(op, "builds an index under a write lock: use AddIndexConcurrently (atomic = False)")
    elif isinstance(op, migrations.AddConstraint) and isinstance(op.constraint, models.UniqueConstraint):
        refuse(op, "builds a unique index under a write lock: review it (small table?) or build the index first")


def _django_concurrent():
    from django.contrib.postgres.operations import AddIndexConcurrently as DjangoAddIndexConcurrently

    return DjangoAddIndexConcurrently


def check(*, baseline: set[str] | None = None) -> tuple[list[Finding], list[str]]:
    """(findings, names checked) for the project's migrations not in the baseline and not reviewed."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    baseline = read_baseline() if baseline is None else baseline
    findings, checked = [], []
    for name, migration in sorted(project_migrations(loader).items()):
        if name in baseline or getattr(migration, REVIEW_ATTRIBUTE, ""):
            continue
        checked.append(name)
        findings += check_migration(loader, migration)
    return findings, checked
