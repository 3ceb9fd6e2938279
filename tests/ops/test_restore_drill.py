"""`manage.py restore_drill`: passes on a faithful restore, fails on a tampered one, refuses SQLite."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from linli.ops.management.commands.restore_drill import Command
from linli.points.services import award
from tests import factories

PASSWORD = "drill-pass-8c2e"


class TamperedDrill(Command):
    """The drill with a restore that lost something: `tamper(cursor)` runs on the scratch copy."""

    def __init__(self, tamper, **kw):
        super().__init__(**kw)
        self.tamper = tamper

    def after_restore(self, alias):
        with connections[alias].cursor() as cursor:
            self.tamper(cursor)


@pytest.fixture
def some_data(db, monkeypatch):
    monkeypatch.setenv("RESTORE_DRILL_PASSWORD", PASSWORD)
    user = factories.make_user(username="drill_staff", password=PASSWORD, is_staff=True)
    award(user=user, amount=120, reason="参加活动", idempotency_key="drill-1")
    award(user=user, amount=30, reason="志愿服务", idempotency_key="drill-2")
    return user


def _drill(command=None, **options) -> str:
    out = StringIO()
    call_command(command or Command(), stdout=out, **options)
    return out.getvalue()


def _scratch_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname LIKE %s", ["%restore_drill"])
        return cursor.fetchone() is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_passes_on_a_faithful_restore(some_data):
    report = _drill(login_username="drill_staff")
    assert "restore drill passed" in report
    assert "points balances" in report and "150" in report
    assert "drill_staff" in report and "works" in report
    assert not _scratch_exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_fails_when_the_restore_lost_a_ledger_row(some_data):
    def lose_a_movement(cursor):
        cursor.execute("DELETE FROM points_pointsentry WHERE amount = 30")

    with pytest.raises(CommandError, match="restore drill FAILED") as failure:
        _drill(TamperedDrill(lose_a_movement), login_username="drill_staff")
    assert "points_pointsentry has 1 rows, source 2" in str(failure.value)
    assert "points movements: restored 120, source 150" in str(failure.value)
    assert not _scratch_exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_fails_when_the_login_does_not_work_on_the_restore(some_data):
    def scramble_password(cursor):
        cursor.execute("UPDATE accounts_user SET password = 'md5$x$y' WHERE username = 'drill_staff'")

    with pytest.raises(CommandError, match="login of drill_staff fails"):
        _drill(TamperedDrill(scramble_password), login_username="drill_staff")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_fails_when_the_restore_misses_a_migration(some_data):
    def forget_a_migration(cursor):
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops' AND name = '0001_initial'")

    with pytest.raises(CommandError, match=r"ops\.0001_initial"):
        _drill(TamperedDrill(forget_a_migration))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_given_dump_file(some_data, tmp_path):
    dump = tmp_path / "nightly.dump"
    _drill(keep_dump=str(dump))
    report = _drill(dump=str(dump))
    assert f"dump: {dump} (given" in report and "restore drill passed" in report


def test_it_refuses_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="restore_drill needs PostgreSQL"):
        _drill()
