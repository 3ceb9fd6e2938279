"""Production settings plus what only the benchmark needs: the bare view's URLconf and the query counter.

Used by `bench/run.py` for gunicorn (bench.wsgi); never by a deployment.
"""

import os

from linli.settings import *  # noqa: F403
from linli.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so it counts every query of the request, middleware included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]


class _NoMigrations:
    """Every app "has no migrations": `migrate --run-syncdb` creates the tables from the models."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


if os.environ.get("BENCH_SYNCDB") == "1":
    # The smoke run (`run.py --smoke`, CI) builds its tables straight from the models, like a test
    # database without migrations: 15 s instead of a minute and more. It checks that the scenarios
    # answer, not the migration history (CI's test passes and `makemigrations --check` do); the
    # database-only extras of migrations (the venue bookings' exclusion constraint) are not there.
    MIGRATION_MODULES = _NoMigrations()
