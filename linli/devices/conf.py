"""Device gateway settings, read each time (so tests may override them), with their defaults.

DEVICE_SECRET_KEY               key(s) encrypting device secrets at rest; comma-separated for rotation
                                (the first encrypts, all decrypt). Unset: derived from SECRET_KEY.
DEVICE_SIGNATURE_MAX_SKEW_SECONDS   how far X-Timestamp may be from the server clock (300)
DEVICE_HEARTBEAT_INTERVAL_SECONDS   how often a device should send a heartbeat, per kind
                                ({"default": 60, "iot_sensor": 300})
DEVICE_MISSED_HEARTBEATS        missed intervals after which a device is offline (3)
DEVICE_COMMAND_TTL_SECONDS      how long a command waits for its ack before it expires (3600)
"""

from datetime import timedelta

from django.conf import settings

DEFAULT_INTERVALS = {"default": 60, "iot_sensor": 300}


def max_skew() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "DEVICE_SIGNATURE_MAX_SKEW_SECONDS", 300)))


def nonce_ttl_seconds() -> int:
    """A nonce must be remembered as long as its timestamp can still be accepted: the whole window
    from timestamp − skew to timestamp + skew, whenever within it the nonce was first seen."""
    return int(2 * max_skew().total_seconds()) + 60


def heartbeat_interval(kind: str) -> int:
    intervals = {**DEFAULT_INTERVALS, **(getattr(settings, "DEVICE_HEARTBEAT_INTERVAL_SECONDS", None) or {})}
    return int(intervals.get(kind, intervals["default"]))


def missed_heartbeats() -> int:
    return int(getattr(settings, "DEVICE_MISSED_HEARTBEATS", 3))


def offline_after(kind: str) -> timedelta:
    """Silence longer than this marks a device of `kind` offline."""
    return timedelta(seconds=heartbeat_interval(kind) * missed_heartbeats())


def command_ttl() -> timedelta | None:
    seconds = getattr(settings, "DEVICE_COMMAND_TTL_SECONDS", 3600)
    return timedelta(seconds=int(seconds)) if seconds else None
