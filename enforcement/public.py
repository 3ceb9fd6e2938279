"""What of a problem report anyone may see: the rule every place that shows a report to someone who
is neither its reporter nor the handling team follows (a follower, a resident offered a duplicate,
the Open311 feed, a follower's notification).

Always: the number, category, status, outcome, the public timeline, the feedback the team wrote for
the public (identifiers masked), and a rough place: the township and lat/lng rounded to 3 decimals
(a grid of about 110 m × 95 m here). Only when the reporter chose `is_public`: the description,
with phone and ID numbers masked, and the photos. Never: who reported it, their contact details,
the exact point or the address.
"""

from decimal import ROUND_HALF_UP, Decimal

from enforcement.models import ProblemReport
from linli.lib.masking import mask_free_text

ROUGH = Decimal("0.001")


def rough(value) -> Decimal | None:
    """A coordinate rounded to 3 decimals (about 100 m)."""
    if value is None:
        return None
    return Decimal(value).quantize(ROUGH, rounding=ROUND_HALF_UP)


def public_text(text: str | None) -> str | None:
    """Free text shown to the public: phones and ID numbers masked."""
    return mask_free_text(text)


def public_description(report: ProblemReport) -> str | None:
    """The description when the reporter made it public (masked), else None."""
    return public_text(report.description) if report.is_public else None


def place_name(report: ProblemReport) -> str:
    """The township (乡镇/街道) of a report, or "" when it is not known."""
    return report.street.name if report.street_id else ""
