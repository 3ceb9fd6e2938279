"""The market's tunables, read from settings with defaults."""

from datetime import timedelta

from django.conf import settings


def invitation_ttl() -> timedelta:
    """How long a member invitation (phone or code) may be accepted: MERCHANT_INVITATION_TTL_HOURS, default 72."""
    return timedelta(hours=getattr(settings, "MERCHANT_INVITATION_TTL_HOURS", 72))
