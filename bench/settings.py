"""Production settings plus what only the benchmark needs: the bare view's URLconf and the query counter.

Used by `bench/run.py` for gunicorn (bench.wsgi); never by a deployment.
"""

from linli.settings import *  # noqa: F403
from linli.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so it counts every query of the request, middleware included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
