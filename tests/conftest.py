import os

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from linli.accounts.models import Role
from linli.accounts.tokens import RefreshToken
from tests import factories


def pytest_configure(config):
    from django.conf import settings

    # The production hasher (PBKDF2) costs ~0.3–1.4 s per password on this machine; tests check
    # that passwords work, not how slowly they are hashed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def resident(db):
    return factories.make_resident(display_name="张大爷")


@pytest.fixture
def staff(community):
    user = factories.make_user(username="staff_here", password="demo12345", is_staff=True)
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    return user


@pytest.fixture
def other_staff(other_community):
    user = factories.make_user(username="staff_there", password="demo12345", is_staff=True)
    factories.grant(user, Role.COMMUNITY_STAFF, community=other_community)
    return user


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
