"""Home care's tunables: a Django setting of the same name wins, else the environment, else the default."""

from django.conf import settings

from linli.lib.env import env_int


def _get(name: str, default: int) -> int:
    return int(getattr(settings, name, env_int(name, default)))


def check_in_radius_m() -> int:
    """How far from the gate of the elder's estate (metres) a position check-in is accepted."""
    return _get("CARE_CHECK_IN_RADIUS_M", 300)


def late_cancel_hours() -> int:
    """After dispatch, cancelling less than this many hours before the service starts is a late cancellation."""
    return _get("CARE_LATE_CANCEL_HOURS", 2)


def late_cancel_fee_percent() -> int:
    """What a late cancellation keeps of the self-paid (cash) part, in percent. The subsidy always goes back."""
    return _get("CARE_LATE_CANCEL_FEE_PERCENT", 20)


def subsidy_expiry_months() -> int:
    """A month's allowance expires this many months after its month (1: unspent by the end of next month)."""
    return _get("CARE_SUBSIDY_EXPIRY_MONTHS", 2)


def alarm_escalate_minutes() -> int:
    """An SOS alarm nobody has acknowledged is notified again (escalated) every this many minutes."""
    return max(1, _get("CARE_ALARM_ESCALATE_MINUTES", 5))


def alarm_max_escalations() -> int:
    """After this many escalations the alarm stays open on the console but nobody is paged again."""
    return _get("CARE_ALARM_MAX_ESCALATIONS", 12)
