"""`manage.py check_migrations`: new migrations must be safe to run while the old code serves
(rules in linli/ops/migration_safety.py and docs/operations.md, "Safe migrations")."""

from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from linli.ops import migration_safety


class Command(BaseCommand):
    help = "Refuse new migrations that are unsafe while the previous release still serves."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write-baseline",
            action="store_true",
            help="record every current migration as grandfathered (only when introducing the check)",
        )

    def handle(self, *args, **options):
        if options["write_baseline"]:
            names = set(migration_safety.project_migrations(MigrationLoader(None, ignore_no_migrations=True)))
            migration_safety.write_baseline(names)
            self.stdout.write(f"baseline: {len(names)} migrations in {migration_safety.BASELINE}")
            return
        findings, checked = migration_safety.check()
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(
                f"{len(findings)} unsafe operation(s) in new migrations. Split them into the two-step "
                f'pattern, or after review set `{migration_safety.REVIEW_ATTRIBUTE} = "why"` on the migration.'
            )
        self.stdout.write(f"migrations safe: {len(checked)} new migration(s) checked, the rest are in the baseline")
