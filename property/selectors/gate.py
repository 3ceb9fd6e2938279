"""Reads for visitors and the gate: scoped to the resident's own passes or the staff's communities."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.regions.models import Estate
from property.models.gate import GateEntry, PlateRead, VisitorPass

STAFF_ROLES = (Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, *STAFF_ROLES)


def _passes() -> QuerySet[VisitorPass]:
    return VisitorPass.objects.select_related("estate", "room__building__estate")


def visitor_passes_of(user: User) -> QuerySet[VisitorPass]:
    if not user.is_authenticated:
        return VisitorPass.objects.none()
    return _passes().filter(host=user)


def visitor_passes_for_staff(user: User) -> QuerySet[VisitorPass]:
    return _passes().select_related("host").filter(community_id__in=staff_community_ids(user))


def _entries() -> QuerySet[GateEntry]:
    return GateEntry.objects.select_related("estate", "device", "room__building__estate", "registered_by")


def visitor_entries_of(user: User) -> QuerySet[GateEntry]:
    """The gate's decisions on the passes `user` issued (their visitors' entries)."""
    if not user.is_authenticated:
        return GateEntry.objects.none()
    return _entries().filter(visitor_pass__host=user)


def gate_entries_for_staff(user: User) -> QuerySet[GateEntry]:
    return _entries().filter(community_id__in=staff_community_ids(user))


def plate_reads_for_staff(user: User) -> QuerySet[PlateRead]:
    return PlateRead.objects.select_related("estate", "device", "entry").filter(
        community_id__in=staff_community_ids(user)
    )


def staff_estates(user: User) -> QuerySet[Estate]:
    return Estate.objects.filter(community_id__in=staff_community_ids(user))


# --- the console ----------------------------------------------------------------------------------


def visitor_totals(*, community_ids, day: date) -> dict[str, int]:
    """Today's gate: visitors let in (by code, plate or walk-in), refusals, walk-ins; one query."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tz)
    allowed = Q(result=GateEntry.Result.ALLOWED)
    return GateEntry.objects.filter(
        community_id__in=community_ids, at__gte=start, at__lt=start + timedelta(days=1)
    ).aggregate(
        allowed=Count("pk", filter=allowed),
        refused=Count("pk", filter=Q(result=GateEntry.Result.REFUSED)),
        walk_ins=Count("pk", filter=allowed & Q(method=GateEntry.Method.WALK_IN)),
    )


def visitors_by_day(*, community_ids, start: datetime, end: datetime) -> QuerySet:
    """Visitors let in per local day of [start, end); one grouped query."""
    return (
        GateEntry.objects.filter(
            community_id__in=community_ids, at__gte=start, at__lt=end, result=GateEntry.Result.ALLOWED
        )
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )


def open_passes_count(*, community_ids, now: datetime) -> int:
    """Passes that may still open a gate (not revoked, not ended, entries left); one query."""
    return VisitorPass.objects.filter(
        community_id__in=community_ids,
        revoked_at__isnull=True,
        valid_until__gt=now,
        entries_used__lt=F("entries_allowed"),
    ).count()
