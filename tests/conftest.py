import os

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from linli.accounts.tokens import RefreshToken
from tests import factories
from tests.support import personas
from tests.support.migrations import to_latest  # noqa: F401 (a fixture for data-migration tests)


def pytest_configure(config):
    from django.conf import settings

    # The production hasher (PBKDF2) costs ~0.3–1.4 s per password on this machine; tests check
    # that passwords work, not how slowly they are hashed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _broker_per_xdist_worker(settings)


def _broker_per_xdist_worker(settings) -> None:
    """Each pytest-xdist worker (gw0, gw1, …) has its own test database; give it its own Redis broker
    database too, so the real-worker tests of two xdist workers never take (or purge) each other's tasks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    broker = settings.CELERY_BROKER_URL or ""
    if not worker.startswith("gw") or not broker.startswith("redis"):
        return
    from urllib.parse import urlsplit, urlunsplit

    from linli.celery import app

    parts = urlsplit(broker)
    database = 8 + int(worker[2:])  # 8, 9, …: clear of the cache (1), the broker (2) and the bench (3)
    settings.CELERY_BROKER_URL = urlunsplit(parts._replace(path=f"/{database}"))
    app.conf.broker_url = settings.CELERY_BROKER_URL


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
