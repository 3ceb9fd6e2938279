"""Tunables of linli.accounts, read from settings with these defaults."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def phone_code_ttl_seconds() -> int:
    """How long an SMS code for a phone change stays valid."""
    return _get("PHONE_CODE_TTL_SECONDS", 10 * 60)


def phone_code_resend_seconds() -> int:
    """The wait before the same user may ask for another code."""
    return _get("PHONE_CODE_RESEND_SECONDS", 60)


def phone_code_max_attempts() -> int:
    """Wrong tries that kill a code."""
    return _get("PHONE_CODE_MAX_ATTEMPTS", 5)


def phone_code_sms_template() -> str:
    """The SMS provider's template code of the verification message; its variable is `code`."""
    return _get("PHONE_CODE_SMS_TEMPLATE", "SMS_LINLI_VERIFY_CODE")


def phone_code_rate_per_user() -> str:
    """DRF rate of code requests per user (on top of the resend interval)."""
    return _get("THROTTLE_PHONE_CODE_USER", "10/hour")


def phone_code_rate_per_phone() -> str:
    """DRF rate of code requests per phone number, whoever asks: no number gets flooded with SMS."""
    return _get("THROTTLE_PHONE_CODE_PHONE", "5/hour")
