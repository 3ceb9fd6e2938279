"""Settings for the test suite: the developer's embedded default (DEBUG=1, so sandbox integrations,
SQLite and eager Celery unless the environment says otherwise). The project itself is production
unless told otherwise (linli/settings.py); setting DEBUG here, before those settings are read, is
what `python3 dev.py run` does for the server. Processes the tests start (a Celery worker, a fresh
interpreter) inherit it through the environment; the production-settings tests remove it.
"""

import os

os.environ.setdefault("DEBUG", "1")

from linli.settings import *  # noqa: F403

# The test database is built from the models, not by replaying every migration: replaying them costs
# ~37 s per xdist worker on SQLite and ~100 s on PostgreSQL (Django re-renders every model related to
# the user model at each step) against seconds for the tables. The migrations themselves are still
# exercised: CI's restore drill (.ci/run, step 9) migrates an empty PostgreSQL database from the first
# migration, the data-migration tests migrate back and forth on PostgreSQL (tests/support/migrations.py),
# and `makemigrations --check` and `check_migrations` keep the models and the migrations in step.
# LINLI_TEST_MIGRATE=1 migrates the test database instead.
if not env_bool("LINLI_TEST_MIGRATE", False):  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
