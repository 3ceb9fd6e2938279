import contextlib
import os
import sqlite3

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from linli.accounts.tokens import RefreshToken
from tests import factories
from tests.support import flush, personas
from tests.support.migrations import (
    built_from_models,
    record_every_migration_applied,
    schema_outside_the_models,
    to_latest,  # noqa: F401 (a fixture for data-migration tests)
)


def pytest_configure(config):
    from django.conf import settings

    # The production hasher (PBKDF2) costs ~0.3–1.4 s per password on this machine; tests check
    # that passwords work, not how slowly they are hashed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _redis_per_xdist_worker(settings)
    if connection.vendor == "postgresql":
        flush.delete_instead_of_truncate()  # after each transactional test (tests/support/flush.py)


def _redis_per_xdist_worker(settings) -> None:
    """Each pytest-xdist worker (gw0, gw1, …) has its own test database; give it its own Redis
    databases too: tests clear the cache (FLUSHDB) and count throttles and lockouts in it, and the
    real-worker tests purge their broker queue — neither may touch another worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from urllib.parse import urlsplit, urlunsplit

    def own_database(url: str, first: int) -> str:
        # first + n: 8, 9, … for the broker and 12, 13, … for the cache, clear of .ci/run's 1–3
        return urlunsplit(urlsplit(url)._replace(path=f"/{first + int(worker[2:])}"))

    from django.test.utils import override_settings

    from linli.celery import app

    changes = {}
    if (settings.CELERY_BROKER_URL or "").startswith("redis"):
        changes["CELERY_BROKER_URL"] = own_database(settings.CELERY_BROKER_URL, 8)
        # Celery reads the environment variable before its configuration.
        os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = changes["CELERY_BROKER_URL"]
    if (settings.REDIS_URL or "").startswith("redis"):
        changes["REDIS_URL"] = redis_url = own_database(settings.REDIS_URL, 12)
        changes["CACHES"] = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": redis_url}}
    # For the whole session; override_settings also makes django.core.cache reconnect.
    override_settings(**changes).enable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    if built_from_models():
        with django_db_blocker.unblock():
            schema_outside_the_models()
            record_every_migration_applied()
    with _in_memory_database_kept_open():
        yield


@contextlib.contextmanager
def _in_memory_database_kept_open():
    """SQLite drops an in-memory database when its last connection closes. Django never closes the
    test thread's connection to it, but a connection that did close for real (its settings changed
    under it, say) would leave every later test of this worker on an empty database ("no such
    table"). A connection of our own, open for the session, keeps the tables for a reconnect."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    keeper = sqlite3.connect(connection.settings_dict["NAME"], uri=True, check_same_thread=False)
    try:
        yield
    finally:
        keeper.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and nonces live in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def as_user():
    """`as_user(user)` → an APIClient that sends that user's access token."""
    return client_for


@pytest.fixture
def community(db):
    return factories.make_community(name="斗潭社区", code="doutan")


@pytest.fixture
def other_community(db):
    return factories.make_community(name="白云社区", code="baiyun")


# The personas of tests/support/personas.py, as fixtures: a resident without a community role, staff
# of 斗潭 and staff of 白云 (the isolation matrices' "other community").


@pytest.fixture
def resident(db):
    return personas.resident(None, display_name="张大爷").user


@pytest.fixture
def staff(community):
    return personas.staff(community, username="staff_here", password="demo12345").user


@pytest.fixture
def other_staff(other_community):
    return personas.staff(other_community, username="staff_there", password="demo12345").user


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = connection.vendor == "postgresql"
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    # A real `celery worker` subprocess needs a broker and a test database it can open too.
    with_worker = on_postgres and (settings.CELERY_BROKER_URL or "").startswith("redis")
    skip_worker = pytest.mark.skip(reason="needs CELERY_BROKER_URL=redis://… and DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        if "celery_worker" in item.keywords and not with_worker:
            if os.environ.get("LINLI_REQUIRE_CELERY_WORKER") == "1":  # .ci/run: must not pass by skipping
                raise pytest.UsageError(f"{item.nodeid} cannot run: needs a Redis broker and PostgreSQL")
            item.add_marker(skip_worker)
    # The data-migration tests take up to two minutes each on PostgreSQL; pytest-xdist hands tests out
    # in this order, so started first they run beside the rest instead of after it.
    items.sort(key=lambda item: "to_latest" not in getattr(item, "fixturenames", ()))
