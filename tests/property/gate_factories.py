"""Factories for the visitors-and-gate tests: residents with a household, passes, gate devices that sign."""

import itertools
import secrets
from datetime import date, timedelta

from django.utils import timezone

from linli.devices.models import Device
from linli.regions.models import Estate
from property.models import Bill, FeeItem, GateDevice, ParkingPermit, Vehicle, VisitorPass
from property.services import gate as services
from tests.devices.factories import client_for_device, make_device
from tests.residents import factories as rf

_seq = itertools.count(1)


def make_host(community, **kw):
    """A verified resident of a room of `community` → (user, room)."""
    return rf.make_verified_resident(community, **kw)


def make_pass(host, room, *, entries=2, starts_in=timedelta(0), lasts=timedelta(days=1), plate="", **kw):
    now = timezone.now()
    return services.visitor_pass_create(
        host=host,
        room=room,
        visitor_name=kw.pop("visitor_name", "王小明"),
        visitor_phone=kw.pop("visitor_phone", "13800138000"),
        valid_from=now + starts_in,
        valid_until=now + starts_in + lasts,
        entries=entries,
        plate=plate,
        **kw,
    )


def make_pass_row(host, room, *, entries=1, plate=""):
    """A pass written directly, for lists of many rows (the service caps the passes one host holds)."""
    now = timezone.now()
    return VisitorPass.objects.create(
        community=room.building.estate.community,
        estate=room.building.estate,
        room=room,
        host=host,
        visitor_name="王小明",
        visitor_phone="13800138000",
        plate=plate,
        code=secrets.token_urlsafe(16),
        valid_from=now,
        valid_until=now + timedelta(days=1),
        entries_allowed=entries,
    )


def make_gate(estate: Estate, *, kind=Device.Kind.GATE):
    """A gate (or plate camera) bound to `estate` → (device, signed client)."""
    n = next(_seq)
    device, secret = make_device(estate.community, kind=kind, code=f"gate-test-{n}", name=f"测试门岗{n}")
    GateDevice.objects.create(device=device, estate=estate)
    return device, client_for_device(device, secret)


def make_permit(room, plate: str, *, day: date | None = None) -> ParkingPermit:
    """A confirmed vehicle of the room's household with a paid parking permit covering `day` (today)."""
    day = day or timezone.localdate()
    estate = room.building.estate
    vehicle = Vehicle.objects.create(
        community=estate.community, room=room, plate=plate, status=Vehicle.Status.CONFIRMED
    )
    item = FeeItem.objects.create(estate=estate, name=f"停车费{next(_seq)}", kind="parking", charging="fixed_month")
    bill = Bill.objects.create(
        community=estate.community,
        estate=estate,
        room=room,
        item=item,
        vehicle=vehicle,
        period=day.replace(day=1),
        title="月租停车费",
        rate_fen=20000,
        original_fen=20000,
        amount_fen=20000,
        status=Bill.Status.PAID,
        due_date=day,
    )
    return ParkingPermit.objects.create(
        vehicle=vehicle,
        community=estate.community,
        plate=plate,
        bill=bill,
        valid_from=day - timedelta(days=1),
        valid_until=day + timedelta(days=30),
        status=ParkingPermit.Status.ACTIVE,
    )


def expire(visitor_pass: VisitorPass) -> VisitorPass:
    """Move a pass's window into the past (a pass cannot be created there)."""
    now = timezone.now()
    VisitorPass.objects.filter(pk=visitor_pass.pk).update(
        valid_from=now - timedelta(days=2), valid_until=now - timedelta(days=1)
    )
    visitor_pass.refresh_from_db()
    return visitor_pass
