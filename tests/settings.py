"""Settings for the test suite: the developer's embedded default (DEBUG=1, so sandbox integrations,
SQLite and eager Celery unless the environment says otherwise). The project itself is production
unless told otherwise (linli/settings.py); setting DEBUG here, before those settings are read, is
what `python3 dev.py run` does for the server. Processes the tests start (a Celery worker, a fresh
interpreter) inherit it through the environment; the production-settings tests remove it.
"""

import os

os.environ.setdefault("DEBUG", "1")

from linli.settings import *  # noqa: F403
