"""Settings for the test suite: the developer's embedded default (DEBUG=1, so sandbox integrations,
SQLite and eager Celery unless the environment says otherwise). The project itself is production
unless told otherwise (linli/settings.py); setting DEBUG here, before those settings are read, is
what `python3 dev.py run` does for the server. Processes the tests start (a Celery worker, a fresh
interpreter) inherit it through the environment; the production-settings tests remove it.
"""

import os

os.environ.setdefault("DEBUG", "1")

from linli.settings import *  # noqa: F403

# On SQLite the test database is built from the models, not by replaying every migration: replaying
# them costs ~37 s per xdist worker (Django re-renders every model related to the user model at each
# step) against ~2 s for the tables. The migrations themselves are still exercised: on PostgreSQL
# (CI step 3) the test database is migrated, and the data-migration tests run there; `makemigrations
# --check` and `check_migrations` keep the models and the migrations in step. LINLI_TEST_MIGRATE=1
# migrates on SQLite too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool(  # noqa: F405
    "LINLI_TEST_MIGRATE", False
):
    DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
