"""Vehicles: a household registers one (plate unique among the community's active vehicles, decided
by the partial unique constraint), property staff confirm or reject it, either side removes it.
Removing a vehicle revokes its permits (the plate camera stops letting it in)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import ConflictError, NotFoundError, field_error
from linli.regions.households import households_of
from linli.regions.models import Room
from linli.workflow import record_step, transition
from property.models import ParkingPermit, Vehicle, normalise_plate

# Mainland plates: a province character, a letter, then 5 (ordinary) or 6 (new-energy) letters/digits.
_PLATE_CHARS = set("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
PROVINCES = set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")


class PlateTaken(ConflictError):
    code = "plate_taken"
    default_message = "该车牌已在本社区登记"


def clean_plate(plate: str) -> str:
    plate = normalise_plate(plate)
    if not (7 <= len(plate) <= 8 and plate[0] in PROVINCES and plate[1].isalpha() and set(plate[1:]) <= _PLATE_CHARS):
        raise field_error("plate", "车牌号格式不正确，如 浙H12345")
    return plate


@transaction.atomic
def vehicle_register(*, user: User, room: Room, plate: str, description: str = "") -> Vehicle:
    """A verified member of the room's household registers a vehicle; it waits for staff to confirm."""
    if not households_of(user).filter(pk=room.pk).exists():
        raise NotFoundError("房屋不存在")
    plate = clean_plate(plate)
    try:
        with transaction.atomic():  # a concurrent registration of the same plate loses here
            vehicle = Vehicle.objects.create(
                community_id=room.building.estate.community_id,
                room=room,
                plate=plate,
                description=description,
                registered_by=user,
            )
    except IntegrityError:
        raise PlateTaken() from None
    record_step(vehicle, "register", actor=user, note="住户登记", from_status="")
    return vehicle


@transaction.atomic
def vehicle_confirm(*, vehicle: Vehicle, actor: User) -> Vehicle:
    transition(vehicle, Vehicle.Action.CONFIRM, actor=actor)
    return vehicle


@transaction.atomic
def vehicle_reject(*, vehicle: Vehicle, actor: User, reason: str) -> Vehicle:
    if not reason.strip():
        raise field_error("reason", "请填写驳回原因")
    transition(vehicle, Vehicle.Action.REJECT, actor=actor, note=reason)
    return vehicle


@transaction.atomic
def vehicle_remove(*, vehicle: Vehicle, actor: User, reason: str = "") -> Vehicle:
    transition(vehicle, Vehicle.Action.REMOVE, actor=actor, note=reason)
    ParkingPermit.objects.filter(vehicle=vehicle).exclude(status=ParkingPermit.Status.REVOKED).update(
        status=ParkingPermit.Status.REVOKED, updated_at=timezone.now()
    )
    return vehicle


@transaction.atomic
def permit_request(*, vehicle: Vehicle, period) -> ParkingPermit:
    """A monthly parking permit for a confirmed vehicle (get or create, with its parking bill to pay)."""
    from property.models import FeeItem
    from property.services.fees import permit_issue

    if vehicle.status != Vehicle.Status.CONFIRMED:
        raise ConflictError("车辆确认后才能办理停车证", code="vehicle_not_confirmed")
    item = (
        FeeItem.objects.filter(estate_id=vehicle.room.building.estate_id, kind=FeeItem.Kind.PARKING, is_active=True)
        .order_by("sort_order", "id")
        .first()
    )
    if item is None:
        raise ConflictError("本小区未开通月租停车", code="no_parking_fee")
    permit, _ = permit_issue(vehicle=vehicle, item=item, period=period)
    return permit
