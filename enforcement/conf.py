"""Enforcement's tunables: Django settings of the same name win, else the environment, else the default."""

from datetime import timedelta

from django.conf import settings

from linli.lib.env import env_int, env_str


def _get(name: str, default):
    return getattr(settings, name, default)


def provincial_url() -> str:
    """Base URL of the provincial 「大综合一体化」 case platform; empty → the built-in sandbox receiver."""
    return _get("ENFORCEMENT_PLATFORM_URL", env_str("ENFORCEMENT_PLATFORM_URL")).rstrip("/")


def provincial_secret() -> str:
    """Shared secret for the HMAC-SHA256 signature of every request to the provincial platform."""
    return _get("ENFORCEMENT_PLATFORM_SECRET", env_str("ENFORCEMENT_PLATFORM_SECRET"))


def provincial_timeout() -> float:
    return float(_get("ENFORCEMENT_PLATFORM_TIMEOUT_SECONDS", env_int("ENFORCEMENT_PLATFORM_TIMEOUT_SECONDS", 10)))


def district_escalation_after() -> timedelta:
    """How long past its deadline (after the leader was told) a report goes up to the district."""
    return timedelta(hours=_get("ENFORCEMENT_DISTRICT_ESCALATION_HOURS", 24))


def duplicate_radius_m() -> float:
    return float(_get("ENFORCEMENT_DUPLICATE_RADIUS_M", 50))


def offer_accept_minutes() -> int:
    """How long an on-duty officer has to accept a dispatched report before the next one gets it
    (a squad's own `accept_minutes` wins)."""
    return int(_get("ENFORCEMENT_OFFER_ACCEPT_MINUTES", env_int("ENFORCEMENT_OFFER_ACCEPT_MINUTES", 10)))


def position_max_age() -> timedelta:
    """An officer's app position older than this is ignored (the squad's office counts instead)."""
    return timedelta(minutes=_get("ENFORCEMENT_POSITION_MAX_AGE_MINUTES", 120))
