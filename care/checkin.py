"""Where a care worker or visitor may check in: at the elder's home, proven by position or by the door code.

* Position: within `conf.check_in_radius_m()` metres (haversine) of the gate of the estate the elder's
  room is in (`Estate.latitude/longitude`). An estate without a position accepts only the door code.
* Door code (门牌码): the QR on the elder's door carries `linli-door:<room id>:<signature>`, signed with
  the server's secret (django.core.signing, salt below), so it cannot be made up for another room and
  needs no table. Staff print it from the console (care order / visit pages).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing

from care import conf
from linli.api.errors import DomainError
from linli.regions.models import Room

PREFIX = "linli-door"
_SALT = "care.door-code"
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class CheckIn:
    method: str  # CheckInMethod value
    distance_m: int | None


class TooFar(DomainError):
    code = "check_in_too_far"
    default_message = "不在服务对象住址附近，不能签到"


class InvalidDoorCode(DomainError):
    code = "invalid_door_code"
    default_message = "门牌码无效或不是该服务对象的住址"


class PositionUnknown(DomainError):
    code = "check_in_position_unknown"
    default_message = "该小区未登记位置，请扫描门牌码签到"


def haversine_m(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def door_code(room: Room | int) -> str:
    """The payload of a room's door QR."""
    room_id = getattr(room, "pk", room)
    return f"{PREFIX}:{signing.Signer(salt=_SALT).sign(str(room_id))}"


def door_code_room_id(code: str) -> int | None:
    """The room a door code is for, or None when it is not a valid code."""
    if not isinstance(code, str) or not code.startswith(f"{PREFIX}:"):
        return None
    try:
        value = signing.Signer(salt=_SALT).unsign(code[len(PREFIX) + 1 :])
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def verify(room: Room, *, latitude: Decimal | None = None, longitude: Decimal | None = None, code: str = "") -> CheckIn:
    """Accept a check-in at `room` by its door code or a position near its estate; else a 400 saying why."""
    from care.models.orders import CheckInMethod

    if code:
        if door_code_room_id(code) != room.pk:
            raise InvalidDoorCode(fields={"door_code": [InvalidDoorCode.default_message]})
        return CheckIn(CheckInMethod.DOOR_CODE, None)
    if latitude is None or longitude is None:
        raise DomainError(
            "请提供定位或扫描门牌码", code="validation_error", fields={"latitude": ["请提供定位或门牌码"]}
        )
    estate = room.building.estate
    if estate.latitude is None or estate.longitude is None:
        raise PositionUnknown()
    distance = haversine_m(latitude, longitude, estate.latitude, estate.longitude)
    limit = conf.check_in_radius_m()
    if distance > limit:
        raise TooFar(
            f"距服务对象住址约 {distance:.0f} 米，须在 {limit} 米内签到（或扫描门牌码）",
            extra={"distance_m": round(distance), "max_distance_m": limit},
        )
    return CheckIn(CheckInMethod.POSITION, round(distance))
