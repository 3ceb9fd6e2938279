"""`manage.py restore_drill`: prove the backups restore (docs/operations.md, "Restore drill").

Dumps the configured PostgreSQL database with `pg_dump -Fc` (or takes `--dump FILE`), restores it
into a scratch database with `pg_restore`, and compares: the row count of every table, the ledger
sums, the applied migrations (and none missing for this code), and a login of `--login-username`
with the password in $RESTORE_DRILL_PASSWORD. Drops the scratch database and prints a report; exits
non-zero on any difference.

Without `--dump` the dump and the source's facts come from one snapshot (pg_export_snapshot), so a
live database may keep taking writes during the drill. With `--dump`, the facts are read from the
source now: use it on a quiet database (or a standby) right after the dump was made.
"""

import os
import re
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.utils import load_backend

from linli.ops import drill

SCRATCH_ALIAS = "restore_drill"


class Command(BaseCommand):
    help = "Restore drill: pg_dump -Fc, pg_restore into a scratch database, compare rows, ledgers, migrations, a login."

    def add_arguments(self, parser):
        parser.add_argument("--dump", help="restore this pg_dump -Fc file instead of dumping the database now")
        parser.add_argument("--scratch-name", help="scratch database name (default: <database>_restore_drill)")
        parser.add_argument(
            "--login-username", help="a user whose password is in $RESTORE_DRILL_PASSWORD: the login check"
        )
        parser.add_argument("--keep-dump", help="also save the fresh dump to this path")

    def after_restore(self, alias: str) -> None:
        """Runs between pg_restore and the checks. Nothing here; the tests tamper with the copy
        through it to show the drill fails."""

    # --- the drill ---------------------------------------------------------------------------
    def handle(self, *args, **options):
        source = connections["default"]
        if source.vendor != "postgresql":
            raise CommandError(
                "restore_drill needs PostgreSQL (DATABASE_URL=postgres://…): it drills pg_dump and pg_restore. "
                "The embedded default's SQLite file is backed up by copying it while the app is stopped."
            )
        settings_dict = source.settings_dict
        scratch = options["scratch_name"] or f"{settings_dict['NAME']}_restore_drill"[:63]
        if not re.fullmatch(r"[A-Za-z0-9_]+", scratch):
            raise CommandError("the scratch database name may hold only letters, digits and _")
        if scratch == settings_dict["NAME"]:
            raise CommandError("the scratch database must not be the source database")
        password = os.environ.get("RESTORE_DRILL_PASSWORD", "")
        if options["login_username"] and not password:
            raise CommandError("--login-username needs the password in $RESTORE_DRILL_PASSWORD")

        with tempfile.TemporaryDirectory(prefix="linli-drill-") as workdir:
            if options["dump"]:
                dump = Path(options["dump"])
                if not dump.is_file():
                    raise CommandError(f"no dump file at {dump}")
                self.stdout.write(f"dump: {dump} (given; source facts read now)")
                expected = drill.facts("default")
            else:
                dump = Path(options["keep_dump"] or Path(workdir) / "linli.dump")
                expected = self._dump_with_facts(dump)
                self.stdout.write(f"dump: pg_dump -Fc → {dump} ({dump.stat().st_size:,} bytes)")

            self._drop(scratch)
            self._sql(f'CREATE DATABASE "{scratch}"')
            try:
                self._run(
                    ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch, str(dump)]
                )
                self.stdout.write(f"restored into scratch database {scratch}")
                # A second alias for the ORM, set on this thread only (not in settings.DATABASES).
                backend = load_backend(settings_dict["ENGINE"])
                connections[SCRATCH_ALIAS] = backend.DatabaseWrapper({**settings_dict, "NAME": scratch}, SCRATCH_ALIAS)
                try:
                    self.after_restore(SCRATCH_ALIAS)
                    problems = self._compare(expected, options["login_username"], password)
                finally:
                    connections[SCRATCH_ALIAS].close()
                    del connections[SCRATCH_ALIAS]
            finally:
                self._drop(scratch)
                self.stdout.write(f"dropped scratch database {scratch}")

        if problems:
            raise CommandError(f"restore drill FAILED: {len(problems)} difference(s): " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("restore drill passed"))

    def _dump_with_facts(self, dump: Path) -> drill.Facts:
        # pg_dump reads the snapshot this transaction exported, and the facts are counted in the
        # same transaction: both see exactly the same rows whatever else writes meanwhile.
        with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            self._run(["pg_dump", "-Fc", "--snapshot", snapshot, "--file", str(dump)])
            return drill.facts("default")

    def _compare(self, expected: drill.Facts, username: str | None, password: str) -> list[str]:
        restored = drill.facts(SCRATCH_ALIAS)
        problems = []
        row_diffs = [
            (table, count, restored.rows.get(table))
            for table, count in expected.rows.items()
            if restored.rows.get(table) != count
        ]
        total = sum(expected.rows.values())
        self._line("rows", f"{len(expected.rows)} tables, {total:,} rows", "equal" if not row_diffs else "DIFFER")
        for table, want, got in row_diffs:
            self.stdout.write(f"    {table}: source {want}, restored {got}")
            problems.append(f"{table} has {got} rows, source {want}")
        for name, want in expected.ledgers.items():
            got = restored.ledgers.get(name)
            self._line(name, f"{want:,}", "equal" if got == want else f"DIFFER: restored {got:,}")
            if got != want:
                problems.append(f"{name}: restored {got}, source {want}")
        missing = sorted(expected.migrations - restored.migrations)
        not_run = drill.unapplied(SCRATCH_ALIAS)
        state = "INCOMPLETE" if missing or not_run else "complete"
        self._line("migrations", f"{len(expected.migrations)} applied", state)
        if missing:
            problems.append(f"migrations missing from the restore: {', '.join(f'{a}.{n}' for a, n in missing)}")
        if not_run:
            problems.append(f"migrations of this code not applied in the restore: {', '.join(not_run)}")
        if username:
            ok = drill.login_works(SCRATCH_ALIAS, username, password)
            self._line("login", username, "works" if ok else "FAILS")
            if not ok:
                problems.append(f"login of {username} fails on the restore")
        else:
            self._line("login", "skipped", "(no --login-username)")
        return problems

    # --- helpers -----------------------------------------------------------------------------
    def _line(self, check: str, source: str, result: str) -> None:
        self.stdout.write(f"  {check:<40} {source:<28} {result}")

    def _env(self) -> dict:
        s = connections["default"].settings_dict
        env = {**os.environ, "PGDATABASE": s["NAME"]}
        for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
            if s.get(key):
                env[var] = str(s[key])
        return env

    def _run(self, command: list[str]) -> None:
        try:
            subprocess.run(command, env=self._env(), check=True, capture_output=True, text=True)  # noqa: S603
        except FileNotFoundError:
            raise CommandError(f"{command[0]} is not installed (PostgreSQL client tools)") from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"{command[0]} failed: {exc.stderr.strip()}") from None

    def _sql(self, statement: str) -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute(statement)

    def _drop(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
