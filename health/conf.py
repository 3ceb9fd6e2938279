"""Health's tunables. Each can be overridden in Django settings under the same name."""

from datetime import timedelta

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def prescription_validity() -> timedelta:
    # 《处方管理办法》: a prescription is valid on the day it is issued, at most 3 days when the doctor says so.
    return timedelta(days=_get("HEALTH_PRESCRIPTION_VALID_DAYS", 3))


def appointment_cancel_cutoff() -> timedelta:
    return timedelta(hours=_get("HEALTH_APPOINTMENT_CANCEL_CUTOFF_HOURS", 2))


def kiosk_session_ttl() -> timedelta:
    return timedelta(minutes=_get("HEALTH_KIOSK_SESSION_MINUTES", 10))


def episode_gap() -> timedelta:
    """An abnormal episode with no abnormal reading for this long is over; the next one notifies again."""
    return timedelta(days=_get("HEALTH_EPISODE_GAP_DAYS", 7))
