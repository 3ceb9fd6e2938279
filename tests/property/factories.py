"""Factories for property tests: an estate with rooms and fee items, households, property staff."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Role
from linli.regions.models import Building, Estate, Room
from property.models import FeeItem, FeeRate, Vehicle
from property.services import fees as fee_services
from property.services import vehicles as vehicle_services
from tests import factories

_seq = itertools.count(1)
PERIOD = date(2026, 11, 1)


def make_estate(community, *, name=None) -> Estate:
    return Estate.objects.create(community=community, name=name or f"小区{next(_seq)}")


def make_room(estate, *, building="3幢", unit="2单元", number=None, area="89.37") -> Room:
    building, _ = Building.objects.get_or_create(estate=estate, name=building, unit=unit)
    return Room.objects.create(
        building=building, number=number or f"{next(_seq):03d}", floor=1, area_m2=Decimal(area) if area else None
    )


def make_fee_item(
    estate, *, name="物业费", kind=FeeItem.Kind.PROPERTY, charging=None, rate_fen=180, since=date(2026, 1, 1)
):
    charging = charging or (
        FeeItem.Charging.PER_M2_MONTH if kind == FeeItem.Kind.PROPERTY else FeeItem.Charging.FIXED_MONTH
    )
    item = FeeItem.objects.create(estate=estate, name=name, kind=kind, charging=charging)
    FeeRate.objects.create(item=item, effective_from=since, rate_fen=rate_fen)
    return item


def make_household(room, **kw):
    """A verified resident (owner) of `room` → the user."""
    user = factories.make_resident(**kw)
    factories.grant(
        user,
        Role.RESIDENT,
        community=room.building.estate.community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position="owner",
    )
    return user


def make_manager(community, *, estate=None, **kw):
    """A property manager of the community (of one estate only when `estate` is given)."""
    user = factories.make_user(is_staff=True, **kw)
    where = {"community": community}
    if estate is not None:
        where.update(scope_type=ContentType.objects.get_for_model(Estate), scope_id=estate.pk)
    factories.grant(user, Role.PROPERTY_MANAGER, **where)
    return user


def make_bills(room, *, n=1, period=PERIOD, rate_fen=180):
    """`n` unpaid bills of `room` (one fee item each, issued by the bill run)."""
    estate = room.building.estate
    items = [make_fee_item(estate, name=f"费用{next(_seq)}", rate_fen=rate_fen) for _ in range(n)]
    for item in items:
        fee_services.bill_run_item(item=item, period=period)
    return list(room.bills.filter(item__in=items).order_by("pk"))


def make_vehicle(room, user, *, plate=None, confirm=True, manager=None) -> Vehicle:
    plate = plate or f"浙H{next(_seq):05d}"
    vehicle = vehicle_services.vehicle_register(user=user, room=room, plate=plate)
    if confirm:
        vehicle_services.vehicle_confirm(vehicle=vehicle, actor=manager)
    return vehicle
