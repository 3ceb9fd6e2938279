"""Visitors and the gate: residents' visitor passes, the gate's verify, staff walk-ins, plate reads.

Admitting a visitor is decided by the database: one conditional UPDATE takes an entry only while
the pass is unrevoked, inside its window and has entries left, so a pass for N entries opens the
gate exactly N times however many gates ask at once (a CHECK constraint is the backstop). Every
decision, allowed or refused, is a `GateEntry` row.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, ForbiddenError, NotFoundError, field_error
from linli.devices.models import Device, DeviceEvent
from linli.devices.services import device_command_create
from linli.limits import services as limits
from linli.regions import households
from linli.regions.models import Estate, Room
from property.models import GateDevice, GateEntry, PlateRead, VisitorPass, normalise_plate
from property.selectors.vehicles import permit_holder

Reason = GateEntry.Reason
PLATE_RE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$")  # 浙A12345, 浙AD12345 (new energy)
OPEN_BARRIER = "open_barrier"

REFUSAL_MESSAGES = {
    Reason.EXPIRED: "通行证已过期",
    Reason.NOT_YET_VALID: "通行证尚未生效",
    Reason.USED_UP: "通行次数已用完",
    Reason.REVOKED: "通行证已被撤销",
    Reason.WRONG_ESTATE: "非本小区通行证",
    Reason.UNKNOWN: "无效通行码",
}


# --- tunables ------------------------------------------------------------------------------------


def max_window() -> timedelta:
    """How long a pass may be valid: PROPERTY_VISITOR_PASS_MAX_DAYS, default 7."""
    return timedelta(days=getattr(settings, "PROPERTY_VISITOR_PASS_MAX_DAYS", 7))


def max_ahead() -> timedelta:
    """How far ahead a pass may start: PROPERTY_VISITOR_PASS_MAX_AHEAD_DAYS, default 7."""
    return timedelta(days=getattr(settings, "PROPERTY_VISITOR_PASS_MAX_AHEAD_DAYS", 7))


def max_entries() -> int:
    """Entries one pass may allow: PROPERTY_VISITOR_PASS_MAX_ENTRIES, default 10."""
    return getattr(settings, "PROPERTY_VISITOR_PASS_MAX_ENTRIES", 10)


def max_open_passes() -> int:
    """Passes a resident may hold that have not ended yet: PROPERTY_VISITOR_PASS_MAX_OPEN, default 20."""
    return getattr(settings, "PROPERTY_VISITOR_PASS_MAX_OPEN", 20)


# A request's clock may be a second behind the resident's "now" when they pick the current minute.
PAST_GRACE = timedelta(minutes=5)


class GateNotConfigured(ConflictError):
    code = "gate_not_configured"
    default_message = "该设备尚未绑定小区门岗"


class PassAlreadyRevoked(ConflictError):
    code = "pass_revoked"
    default_message = "通行证已撤销"


class TooManyOpenPasses(ConflictError):
    code = "limit_reached"
    default_message = "未结束的访客通行证过多，请先撤销不用的通行证"


# --- visitor passes (residents) -------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits: unguessable, fits a QR code


@transaction.atomic
def visitor_pass_create(
    *,
    host: User,
    room: Room,
    visitor_name: str,
    visitor_phone: str,
    valid_from: datetime,
    valid_until: datetime,
    entries: int,
    plate: str = "",
    now: datetime | None = None,
) -> VisitorPass:
    """A verified resident of `room` invites a visitor to the room's estate."""
    now = now or timezone.now()
    if not households.households_of(host).exists():
        raise ForbiddenError("只有认证住户可以邀请访客", code="not_verified_resident")
    if households.residency(host, room) is None:
        raise field_error("room", "不是您已认证的房屋")
    if valid_from < now - PAST_GRACE:
        raise field_error("valid_from", "生效时间不能早于现在")
    if valid_from > now + max_ahead():
        raise field_error("valid_from", f"最多提前 {max_ahead().days} 天邀请")
    if valid_until <= valid_from:
        raise field_error("valid_until", "失效时间须晚于生效时间")
    if valid_until - valid_from > max_window():
        raise field_error("valid_until", f"通行证有效期最长 {max_window().days} 天")
    if not 1 <= entries <= max_entries():
        raise field_error("entries", f"可通行次数须在 1 至 {max_entries()} 之间")
    plate = normalise_plate(plate)
    if plate and not PLATE_RE.match(plate):
        raise field_error("plate", "车牌号格式不正确，如 浙H12345")
    # One person's passes are counted one at a time (two concurrent invitations cannot both slip in).
    limits.lock_person(host)
    open_passes = VisitorPass.objects.filter(host=host, revoked_at__isnull=True, valid_until__gt=now).count()
    if open_passes >= max_open_passes():
        raise TooManyOpenPasses(
            f"最多可同时持有 {max_open_passes()} 张未结束的访客通行证", extra={"limit": max_open_passes()}
        )
    estate = room.building.estate
    return VisitorPass.objects.create(
        community_id=estate.community_id,
        estate=estate,
        room=room,
        host=host,
        visitor_name=visitor_name,
        visitor_phone=visitor_phone,
        plate=plate,
        code=_new_code(),
        valid_from=valid_from,
        valid_until=valid_until,
        entries_allowed=entries,
    )


@transaction.atomic
def visitor_pass_revoke(*, visitor_pass: VisitorPass, by: User) -> VisitorPass:
    """The host takes the invitation back: the code opens nothing from now on."""
    visitor_pass = VisitorPass.objects.select_for_update().get(pk=visitor_pass.pk)
    if visitor_pass.host_id != by.pk:
        raise NotFoundError("通行证不存在")
    if visitor_pass.revoked_at is not None:
        raise PassAlreadyRevoked()
    visitor_pass.revoked_at = timezone.now()
    visitor_pass.save(update_fields=["revoked_at"])
    return visitor_pass


# --- the gate -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    entry: GateEntry
    replayed: bool  # the device asked with this request_id before: this is the first answer again

    @property
    def allowed(self) -> bool:
        return self.entry.result == GateEntry.Result.ALLOWED

    @property
    def message(self) -> str:
        if self.allowed:
            return "欢迎来访"
        return REFUSAL_MESSAGES.get(self.entry.reason, "不能通行")


def gate_of(device: Device, kind: str) -> GateDevice:
    """The estate gate `device` is installed at; the device must be of `kind`."""
    if device.kind != kind:
        raise ForbiddenError(f"{device.get_kind_display()}不能调用此接口", code="device_kind_not_allowed")
    gate = GateDevice.objects.select_related("estate").filter(device=device).first()
    if gate is None:
        raise GateNotConfigured()
    return gate


def _refusal(visitor_pass: VisitorPass | None, estate_id: int, now: datetime) -> str:
    if visitor_pass is None:
        return Reason.UNKNOWN
    if visitor_pass.estate_id != estate_id:
        return Reason.WRONG_ESTATE
    state = visitor_pass.state_at(now)
    if state == VisitorPass.State.ACTIVE and not _host_still_lives_there(visitor_pass):
        return Reason.REVOKED  # the host has left the household: their invitations end with it
    return {
        VisitorPass.State.REVOKED: Reason.REVOKED,
        VisitorPass.State.EXPIRED: Reason.EXPIRED,
        VisitorPass.State.USED_UP: Reason.USED_UP,
        VisitorPass.State.UPCOMING: Reason.NOT_YET_VALID,
    }.get(state, Reason.USED_UP)  # ACTIVE here: another gate took the last entry between our two reads


def _host_residency():
    """The host's residency in the pass's room, for a subquery on VisitorPass."""
    return Membership.objects.filter(
        user_id=OuterRef("host_id"),
        role=Role.RESIDENT,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=OuterRef("room_id"),
    )


def _host_still_lives_there(visitor_pass: VisitorPass) -> bool:
    return VisitorPass.objects.filter(pk=visitor_pass.pk).filter(Exists(_host_residency())).exists()


def _take_entry(visitor_pass: VisitorPass, estate_id: int, now: datetime) -> bool:
    """Use one entry of the pass if it opens this estate's gate now (and its host still lives in the
    room); the UPDATE decides, not Python."""
    taken = (
        VisitorPass.objects.filter(Exists(_host_residency()))
        .filter(
            pk=visitor_pass.pk,
            estate_id=estate_id,
            revoked_at__isnull=True,
            valid_from__lte=now,
            valid_until__gt=now,
            entries_used__lt=F("entries_allowed"),
        )
        .update(entries_used=F("entries_used") + 1)
    )
    return taken == 1


def gate_verify(*, device: Device, code: str, request_id: str = "", now: datetime | None = None) -> Decision:
    """A gate asks whether `code` opens it. Allowed takes one entry of the pass; either way it is logged.

    With a `request_id` the same question asked again (a retry after a timeout) gets the first answer
    and takes nothing more.
    """
    now = now or timezone.now()
    gate = gate_of(device, Device.Kind.GATE)
    if request_id:
        earlier = GateEntry.objects.filter(device=device, request_id=request_id).first()
        if earlier is not None:
            return Decision(earlier, replayed=True)
    visitor_pass = VisitorPass.objects.filter(code=code).first() if code else None
    try:
        with transaction.atomic():
            allowed = visitor_pass is not None and _take_entry(visitor_pass, gate.estate_id, now)
            if visitor_pass is not None:
                visitor_pass.refresh_from_db()  # the state after our UPDATE (or another gate's)
            if allowed:
                result, reason = GateEntry.Result.ALLOWED, Reason.OK
            else:
                result, reason = GateEntry.Result.REFUSED, _refusal(visitor_pass, gate.estate_id, now)
            entry = GateEntry.objects.create(
                community_id=gate.community_id,
                estate_id=gate.estate_id,
                visitor_pass=visitor_pass,
                device=device,
                method=GateEntry.Method.CODE,
                result=result,
                reason=reason,
                visitor_name=visitor_pass.visitor_name if visitor_pass else "",
                visitor_phone=visitor_pass.visitor_phone if visitor_pass else "",
                plate=visitor_pass.plate if visitor_pass else "",
                room_id=visitor_pass.room_id if visitor_pass else None,
                request_id=request_id,
                at=now,
            )
    except IntegrityError:
        # The same request_id raced in twice: the other one decided (and took the entry); ours rolled back.
        return Decision(GateEntry.objects.get(device=device, request_id=request_id), replayed=True)
    return Decision(entry, replayed=False)


# --- walk-ins (staff) -----------------------------------------------------------------------------


@transaction.atomic
def walk_in_register(
    *,
    staff: User,
    estate: Estate,
    visitor_name: str,
    visitor_phone: str = "",
    plate: str = "",
    room: Room | None = None,
    note: str = "",
    staff_community_ids: set[int] | None = None,
) -> GateEntry:
    """A visitor without a pass, let in by the gatekeeper and written into the same entry log."""
    if staff_community_ids is not None and estate.community_id not in staff_community_ids:
        raise field_error("estate", "小区不存在")
    if room is not None and room.building.estate_id != estate.pk:
        raise field_error("room", "该房屋不在此小区")
    plate = normalise_plate(plate)
    if plate and not PLATE_RE.match(plate):
        raise field_error("plate", "车牌号格式不正确，如 浙H12345")
    return GateEntry.objects.create(
        community_id=estate.community_id,
        estate=estate,
        method=GateEntry.Method.WALK_IN,
        result=GateEntry.Result.ALLOWED,
        visitor_name=visitor_name,
        visitor_phone=visitor_phone,
        plate=plate,
        room=room,
        note=note,
        registered_by=staff,
        at=timezone.now(),
    )


# --- plate camera ---------------------------------------------------------------------------------


def plate_read_record(*, device: Device, event: DeviceEvent, plate: str) -> PlateRead:
    """The plate camera read `plate`: a permit holder's car, or a visitor's inside their pass's window
    (which takes one of its entries), is let in — the camera gets an `open_barrier` command —; any other
    is only logged for staff. Runs inside the gateway's event transaction."""
    now = timezone.now()
    gate = gate_of(device, Device.Kind.PLATE_CAMERA)
    plate = normalise_plate(plate)
    read = PlateRead(
        community_id=gate.community_id,
        estate_id=gate.estate_id,
        device=device,
        event=event,
        plate=plate,
        at=now,
    )
    permit = permit_holder(gate.community_id, plate, now) if plate else None
    if permit is not None:
        read.result, read.reason, read.permit = PlateRead.Result.OPEN, PlateRead.Reason.PERMIT, permit
    else:
        candidates = (
            list(
                VisitorPass.objects.filter(estate_id=gate.estate_id, plate=plate, revoked_at__isnull=True)
                .filter(valid_until__gt=now)
                .order_by("valid_until", "pk")[:5]
            )
            if plate
            else []
        )
        admitted = next((p for p in candidates if _take_entry(p, gate.estate_id, now)), None)
        if admitted is not None:
            read.result, read.reason = PlateRead.Result.OPEN, PlateRead.Reason.VISITOR_PASS
            read.entry = GateEntry.objects.create(
                community_id=gate.community_id,
                estate_id=gate.estate_id,
                visitor_pass=admitted,
                device=device,
                method=GateEntry.Method.PLATE,
                result=GateEntry.Result.ALLOWED,
                visitor_name=admitted.visitor_name,
                visitor_phone=admitted.visitor_phone,
                plate=plate,
                room_id=admitted.room_id,
                at=now,
            )
        else:
            read.result = PlateRead.Result.LOGGED
            read.reason = PlateRead.Reason.PASS_REFUSED if candidates else PlateRead.Reason.NO_MATCH
    read.save()
    if read.result == PlateRead.Result.OPEN:
        device_command_create(
            device=device,
            kind=OPEN_BARRIER,
            payload={"plate_read": read.pk, "plate": plate},
            dedupe_key=f"plate-read:{read.pk}:open",
            expires_in=timedelta(seconds=getattr(settings, "PROPERTY_BARRIER_COMMAND_TTL_SECONDS", 60)),
        )
    return read
