"""Operations settings, read each time (so tests may override them), with their defaults.

OPS_BEAT_STALE_MINUTES      no beat tick for this long opens a "beat stalled" alert (5)
OPS_QUEUE_ALERT_LENGTH      a Celery queue longer than this opens a "queue backlog" alert (1000)
OPS_CELERY_QUEUES           the queues to watch (["celery"], Celery's default queue)
OPS_WORKER_PING_TIMEOUT     seconds `/healthz/detail` and the operations page wait for workers' pongs (1.0)
OPS_HEALTHZ_TOKEN           a monitoring system's token for `/healthz/detail` (X-Ops-Token); unset: none
"""

from datetime import timedelta

from django.conf import settings


def beat_stale_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "OPS_BEAT_STALE_MINUTES", 5)))


def queue_alert_length() -> int:
    return int(getattr(settings, "OPS_QUEUE_ALERT_LENGTH", 1000))


def celery_queues() -> list[str]:
    return list(getattr(settings, "OPS_CELERY_QUEUES", None) or ["celery"])


def worker_ping_timeout() -> float:
    return float(getattr(settings, "OPS_WORKER_PING_TIMEOUT", 1.0))


def healthz_token() -> str:
    return getattr(settings, "OPS_HEALTHZ_TOKEN", "") or ""
