import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("healthz: database unreachable: %s", type(exc).__name__)
        return "unreachable"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from linli.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL or None) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "ok"
    except Exception as exc:  # kombu raises many transport-specific errors
        logger.warning("healthz: broker unreachable: %s", type(exc).__name__)
        return "unreachable"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when the database and the broker answer, else 503."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
