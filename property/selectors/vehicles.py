"""Vehicles and parking permits: what households and staff see, and who the plate camera lets in."""

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.accounts.models import User
from linli.regions.households import households_of
from property.models import Bill, ParkingPermit, Vehicle, normalise_plate


def permit_holder(community_id: int, plate: str, at: datetime | date) -> ParkingPermit | None:
    """The active parking permit of `plate` in the community covering `at` (a date, or a moment read in
    the server's time zone), whose bill is settled and whose vehicle is still confirmed; else None.

    One query (the permit with its vehicle and bill)."""
    day = timezone.localdate(at) if isinstance(at, datetime) else at
    return (
        ParkingPermit.objects.filter(
            community_id=community_id,
            plate=normalise_plate(plate),
            status=ParkingPermit.Status.ACTIVE,
            valid_from__lte=day,
            valid_until__gte=day,
            vehicle__status=Vehicle.Status.CONFIRMED,
            bill__status__in=[Bill.Status.PAID, Bill.Status.WAIVED],
        )
        .select_related("vehicle", "bill")
        .order_by("-valid_until", "-id")
        .first()
    )


def vehicles_for_household(*, user: User) -> QuerySet[Vehicle]:
    """The vehicles of every room the user is a verified resident of (removed ones included)."""
    return (
        Vehicle.objects.filter(room__in=households_of(user).values("pk"))
        .select_related("room__building__estate")
        .order_by("-created_at", "-id")
    )


def vehicles_for_staff(*, scope: Q) -> QuerySet[Vehicle]:
    """Vehicles within `scope` (selectors.bills.staff_scope over the vehicle's estate)."""
    return (
        Vehicle.objects.filter(scope)
        .select_related("room__building__estate", "registered_by")
        .order_by("-created_at", "-id")
    )


def permits_of(*, vehicle_ids) -> QuerySet[ParkingPermit]:
    return ParkingPermit.objects.filter(vehicle_id__in=vehicle_ids).select_related("bill").order_by("-valid_from")
