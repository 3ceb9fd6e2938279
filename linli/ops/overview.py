"""The reads behind the superuser's operations page (运维概览): versions, migrations, failures, outages."""

import platform
import shutil
import sqlite3
import subprocess
from functools import lru_cache

import celery
import django
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from linli.devices.models import Device, DeviceOutage
from linli.ops import registry

OUTAGES_SHOWN = 50


@lru_cache(maxsize=1)
def _git_commit() -> str:
    # Cached per process: the code a process runs does not change under it.
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        result = subprocess.run(  # noqa: S603 (a fixed command, no user input)
            [git, "rev-parse", "--short=12", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=2,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def versions() -> list[tuple[str, str]]:
    return [
        ("应用版本", settings.APP_VERSION or _git_commit() or "未知（部署时设置 APP_VERSION）"),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Celery", celery.__version__),
        ("数据库", database_version()),
    ]


def unapplied_migrations() -> list[str]:
    """Migrations in the code that the database has not applied, in the order `migrate` would run them."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _outbound_row(item: registry.Outbound) -> dict:
    url = reverse(item.changelist)
    return {
        "key": item.key,
        "title": item.title,
        "failed": item.failed().count(),
        "url": f"{url}?{item.query}" if item.query else url,
        "retry": item.retry,
    }


def failed_outbound() -> list[dict]:
    """Each kind of outbound record with its number of failed rows and where to see (and retry) them."""
    return [_outbound_row(item) for item in registry.outbound()]


def device_outages() -> dict:
    open_outages = DeviceOutage.objects.filter(ended_at__isnull=True)
    return {
        "offline": Device.objects.filter(status=Device.Status.OFFLINE).count(),
        "open": open_outages.count(),
        "rows": list(
            open_outages.select_related("device__community", "device__street").order_by("detected_at")[:OUTAGES_SHOWN]
        ),
        "url": reverse("admin:devices_deviceoutage_changelist") + "?ended_at__isempty=1",
    }
