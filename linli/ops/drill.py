"""The facts a restore drill compares between the source database and its restored copy.

`facts(alias)` reads one database: the row count of every table of the project's models, the
ledger sums (points balances and movements; payments taken, refunded) and the applied migrations.
Equal facts on both sides, a complete migration state and a working login mean the dump restores
into a database the app can run on.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Sum

from linli.payments.models import PaymentIntent, Refund
from linli.points.models import PointsAccount, PointsEntry


@dataclass
class Facts:
    rows: dict[str, int] = field(default_factory=dict)  # table → row count
    ledgers: dict[str, int] = field(default_factory=dict)  # name → sum
    migrations: set[tuple[str, str]] = field(default_factory=set)


def _tables():
    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        yield meta.db_table, model


def _sum(queryset, column: str) -> int:
    return queryset.aggregate(total=Sum(column))["total"] or 0


def ledger_sums(alias: str) -> dict[str, int]:
    paid = PaymentIntent.objects.using(alias).filter(status=PaymentIntent.Status.SUCCEEDED)
    refunds = Refund.objects.using(alias).filter(status=Refund.Status.SUCCEEDED)
    return {
        "积分余额合计 points balances": _sum(PointsAccount.objects.using(alias), "balance"),
        "积分流水合计 points movements": _sum(PointsEntry.objects.using(alias), "amount"),
        "已支付金额（分） paid amount_fen": _sum(paid, "amount_fen"),
        "已退款金额（分） refunded_fen": _sum(paid, "refunded_fen"),
        "退款单金额（分） refunds amount_fen": _sum(refunds, "amount_fen"),
    }


def facts(alias: str) -> Facts:
    rows = {table: model._base_manager.using(alias).count() for table, model in sorted(_tables())}
    applied = set(MigrationRecorder(connections[alias]).applied_migrations())
    return Facts(rows=rows, ledgers=ledger_sums(alias), migrations=applied)


def unapplied(alias: str) -> list[str]:
    """Migrations of the code that `alias` lacks: a restore must leave none."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def login_works(alias: str, username: str, password: str) -> bool:
    """The password check a login does, against the user row of `alias` (never upgrades the hash)."""
    row = (
        get_user_model()
        ._base_manager.using(alias)
        .filter(username=username)
        .values_list("password", "is_active")
        .first()
    )
    return row is not None and row[1] and check_password(password, row[0])
