"""Device gateway writes: registering devices and their secrets, heartbeats and outages, commands, events.

Scenario apps use `device_command_create` to tell a device to do something and hear back through the
handlers they register in `linli.devices.registry` (`@on_event`, `@on_command_ack`).
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import serializers

from linli.api.errors import ConflictError, DomainError, NotFoundError
from linli.devices import conf, registry, selectors
from linli.devices.crypto import encrypt_secret, new_secret
from linli.devices.models import Device, DeviceCommand, DeviceEvent, DeviceOutage
from linli.notifications.services import notify

logger = logging.getLogger(__name__)

OFFLINE_KIND = "devices.offline"
RECOVERED_KIND = "devices.recovered"
_DEFAULT = object()


class DeviceCodeTaken(ConflictError):
    code = "device_code_taken"
    default_message = "设备编号已存在"


class UnknownEventType(DomainError):
    code = "unknown_event_type"
    default_message = "未知的事件类型"


class EventTypeNotAllowed(DomainError):
    code = "event_type_not_allowed"
    default_message = "该类型的设备不能上报此事件"


class EventIdConflict(ConflictError):
    code = "event_id_conflict"
    default_message = "该事件编号已用于另一条不同的事件"


class CommandAlreadyAcked(ConflictError):
    code = "command_already_acked"
    default_message = "该指令已回执为另一结果"


class CommandExpired(ConflictError):
    code = "command_expired"
    default_message = "该指令已过期"


# --- registry and secrets ----------------------------------------------------------------------


def _issue_secret(device: Device) -> str:
    secret = new_secret()
    device.secret_encrypted = encrypt_secret(secret)
    device.secret_issued_at = timezone.now()
    return secret


@transaction.atomic
def device_save_new(*, device: Device) -> str:
    """Save a new (unsaved) device with a freshly issued secret. Returns the secret: show it once, it is
    stored only encrypted. The admin's add form builds the Device; `device_create` builds it from fields."""
    if device.pk is not None:
        raise ValueError("device_save_new is for new devices; use device_secret_rotate")
    device.full_clean(exclude=["secret_encrypted", "secret_issued_at"], validate_unique=False)
    secret = _issue_secret(device)
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise DeviceCodeTaken(fields={"code": ["设备编号已存在"]}) from None
    return secret


def device_create(
    *,
    kind: str,
    code: str,
    name: str,
    community=None,
    street=None,
    location: str = "",
    config: dict | None = None,
    lat=None,
    lng=None,
) -> tuple[Device, str]:
    """Register a device. Returns (device, secret); the secret is shown once and stored only encrypted."""
    device = Device(
        kind=kind,
        code=code,
        name=name,
        community=community,
        street=street,
        location=location,
        config=config or {},
        lat=lat,
        lng=lng,
    )
    return device, device_save_new(device=device)


@transaction.atomic
def device_secret_rotate(*, device: Device) -> str:
    """Issue a new secret; the old one stops working at once. Returns the new secret (show it once)."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    secret = _issue_secret(device)
    device.save(update_fields=["secret_encrypted", "secret_issued_at"])
    return secret


@transaction.atomic
def device_disable(*, device: Device) -> Device:
    """Stop a device: its requests are refused (401 device_disabled) and it raises no offline alerts."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    device.status = Device.Status.DISABLED
    device.save(update_fields=["status"])
    DeviceOutage.objects.filter(device=device, ended_at__isnull=True).update(ended_at=timezone.now())
    return device


@transaction.atomic
def device_enable(*, device: Device) -> Device:
    """Let a disabled device in again; it counts as offline until its next heartbeat."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.status == Device.Status.DISABLED:
        device.status = Device.Status.OFFLINE
        device.save(update_fields=["status"])
    return device


# --- heartbeats and outages ----------------------------------------------------------------------


@transaction.atomic
def device_heartbeat(*, device: Device, firmware_version: str | None = None, telemetry: dict | None = None) -> Device:
    """The device is alive: online now; an open outage ends (staff get an inbox note that it is back)."""
    now = timezone.now()
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.status == Device.Status.DISABLED:
        raise ConflictError("设备已停用", code="device_disabled")
    device.status = Device.Status.ONLINE
    device.last_heartbeat_at = now
    fields = ["status", "last_heartbeat_at"]
    if firmware_version is not None:
        device.firmware_version = firmware_version
        fields.append("firmware_version")
    if telemetry is not None:
        device.telemetry = telemetry
        fields.append("telemetry")
    device.save(update_fields=fields)
    outage = DeviceOutage.objects.filter(device=device, ended_at__isnull=True).first()
    if outage is not None:
        outage.ended_at = now
        outage.save(update_fields=["ended_at"])
        notify(
            selectors.alert_recipients(device),
            RECOVERED_KIND,
            f"设备恢复在线：{device.name}",
            f"{device.name}（{device.code}）已恢复心跳，离线约 {_duration(now - outage.detected_at)}。",
            data={"device": device.code, "outage": outage.pk},
            channels=[],  # inbox only: the alert was the urgent part
            dedupe_key=f"device-outage:{outage.pk}:recovered",
        )
    return device


def _duration(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 1)
    return f"{minutes // 60} 小时 {minutes % 60} 分钟" if minutes >= 60 else f"{minutes} 分钟"


def _silent_devices(now: datetime):
    """Online devices whose last sign of life is older than their kind's threshold."""
    silent = Q()
    for kind in Device.Kind.values:
        silent |= Q(kind=kind, last_seen__lt=now - conf.offline_after(kind))
    return (
        Device.objects.filter(status=Device.Status.ONLINE)
        .annotate(last_seen=Coalesce("last_heartbeat_at", "created_at"))
        .filter(silent)
    )


def devices_mark_offline(*, now: datetime | None = None) -> list[DeviceOutage]:
    """The beat job: mark silent devices offline and alert their staff, once per outage.

    Safe to run twice or concurrently: each device is re-checked under its row lock, and a device
    has at most one open outage (DB constraint), whose alert has a dedupe key.
    """
    now = now or timezone.now()
    outages = []
    for device_id in list(_silent_devices(now).values_list("pk", flat=True)):
        outage = device_mark_offline(device_id=device_id, now=now)
        if outage is not None:
            outages.append(outage)
    return outages


@transaction.atomic
def device_mark_offline(*, device_id: int, now: datetime | None = None) -> DeviceOutage | None:
    now = now or timezone.now()
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is None or device.status != Device.Status.ONLINE:
        return None  # gone, disabled, or another run got here first
    last_seen = device.last_heartbeat_at or device.created_at
    if last_seen >= now - conf.offline_after(device.kind):
        return None  # a heartbeat arrived meanwhile
    device.status = Device.Status.OFFLINE
    device.save(update_fields=["status"])
    try:
        with transaction.atomic():
            outage = DeviceOutage.objects.create(device=device, last_seen_at=device.last_heartbeat_at, detected_at=now)
    except IntegrityError:
        return None  # an outage is already open (and was alerted)
    recipients = selectors.alert_recipients(device)
    where = f"，{device.location}" if device.location else ""
    since = timezone.localtime(last_seen).strftime("%m-%d %H:%M")
    outage.notified_count = notify(
        recipients,
        OFFLINE_KIND,
        f"设备离线：{device.name}",
        f"{device.name}（{device.code}{where}）自 {since} 起未上报心跳，请安排检查。",
        data={"device": device.code, "outage": outage.pk},
        dedupe_key=f"device-outage:{outage.pk}",
    )
    outage.save(update_fields=["notified_count"])
    if not recipients:
        logger.warning("device %s went offline and has no staff to alert", device.code)
    return outage


# --- commands --------------------------------------------------------------------------------


@transaction.atomic
def device_command_create(
    *,
    device: Device,
    kind: str,
    payload: dict | None = None,
    dedupe_key: str | None = None,
    expires_in: timedelta | int | None = _DEFAULT,  # type: ignore[assignment]
):
    """Queue a command for a device. With `dedupe_key`, asking twice queues it once.

    An unacknowledged command expires after `expires_in` (seconds or a timedelta; default
    settings.DEVICE_COMMAND_TTL_SECONDS, None: never); its ack handlers then run with status `expired`.
    """
    if dedupe_key:
        existing = DeviceCommand.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    ttl = conf.command_ttl() if expires_in is _DEFAULT else expires_in
    if isinstance(ttl, int):
        ttl = timedelta(seconds=ttl)
    expires_at = timezone.now() + ttl if ttl is not None else None
    try:
        with transaction.atomic():
            return DeviceCommand.objects.create(
                device=device, kind=kind, payload=payload or {}, dedupe_key=dedupe_key, expires_at=expires_at
            )
    except IntegrityError:
        return DeviceCommand.objects.get(dedupe_key=dedupe_key)


def _run_ack_handlers(command: DeviceCommand) -> None:
    for handler in registry.ack_handlers(command.kind):
        handler(command)


@transaction.atomic
def device_command_ack(
    *, device: Device, command_id: int, status: str, result: dict | None = None
) -> tuple[DeviceCommand, bool]:
    """The device reports a command done or failed. Returns (command, replayed).

    The first ack moves the command and runs the kind's ack handlers in this transaction (a handler
    that fails rolls the ack back, so the device's retry gives it another chance). The same ack
    again replays; a different outcome is 409. Another device's command is 404.
    """
    S = DeviceCommand.Status
    if status not in (S.DONE, S.FAILED):
        raise DomainError("status 只能是 done 或 failed", code="validation_error", fields={"status": ["done / failed"]})
    command = DeviceCommand.objects.select_for_update().filter(pk=command_id, device=device).first()
    if command is None:
        raise NotFoundError("指令不存在")
    if command.status == status:
        return command, True
    if command.status == S.EXPIRED:
        raise CommandExpired()
    if command.status != S.PENDING:
        raise CommandAlreadyAcked(f"该指令已回执为「{command.get_status_display()}」")
    command.status = status
    command.result = result or {}
    command.acked_at = timezone.now()
    command.save(update_fields=["status", "result", "acked_at"])
    _run_ack_handlers(command)
    return command, False


def device_commands_expire(*, now: datetime | None = None) -> int:
    """The beat job: pending commands past `expires_at` become expired and their ack handlers run
    (each command in its own transaction; one whose handler fails stays pending for the next run)."""
    now = now or timezone.now()
    due = DeviceCommand.objects.filter(status=DeviceCommand.Status.PENDING, expires_at__lte=now)
    expired = 0
    for command_id in list(due.values_list("pk", flat=True)):
        try:
            expired += device_command_expire(command_id=command_id, now=now)
        except Exception:
            logger.exception("expiring device command %s failed; retried next run", command_id)
    return expired


@transaction.atomic
def device_command_expire(*, command_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    command = DeviceCommand.objects.select_for_update().filter(pk=command_id).first()
    if command is None or command.status != DeviceCommand.Status.PENDING or not command.expires_at:
        return False
    if command.expires_at > now:
        return False
    command.status = DeviceCommand.Status.EXPIRED
    command.save(update_fields=["status"])
    _run_ack_handlers(command)
    return True


# --- events ----------------------------------------------------------------------------------


@transaction.atomic
def device_event_receive(
    *, device: Device, event_id: str, type: str, occurred_at: datetime, payload: dict | None = None
) -> tuple[DeviceEvent, bool]:
    """Store an event a device posted and run its registered handler, in one transaction.

    Returns (event, created). An `event_id` seen before from this device is accepted again without
    running anything (created False); the same id with another type or payload is 409.
    """
    payload = payload or {}
    entry = registry.event_handler(type)
    if entry is None:
        known = registry.event_types_for_kind(device.kind)
        raise UnknownEventType(
            f"未知的事件类型：{type}", fields={"type": [f"可用的事件类型：{'、'.join(known) or '（无）'}"]}
        )
    if entry.kinds and device.kind not in entry.kinds:
        allowed = registry.event_types_for_kind(device.kind)
        raise EventTypeNotAllowed(
            f"{device.get_kind_display()}不能上报 {type}",
            fields={"type": [f"该设备可上报：{'、'.join(allowed) or '（无）'}"]},
        )
    existing = DeviceEvent.objects.filter(device=device, event_id=event_id).first()
    if existing is not None:
        return _duplicate(existing, type, payload), False
    if entry.schema is not None:
        schema = entry.schema(data=payload)
        if not schema.is_valid():
            raise serializers.ValidationError({"payload": schema.errors})
    try:
        with transaction.atomic():
            event = DeviceEvent.objects.create(
                device=device, event_id=event_id, type=type, occurred_at=occurred_at, payload=payload
            )
    except IntegrityError:
        # The same event posted twice at once: the other request stored it and ran the handler.
        return _duplicate(DeviceEvent.objects.get(device=device, event_id=event_id), type, payload), False
    entry.handler(device, event)
    return event, True


def _duplicate(existing: DeviceEvent, type: str, payload: dict) -> DeviceEvent:
    if existing.type != type or existing.payload != payload:
        raise EventIdConflict(fields={"event_id": [f"事件 {existing.event_id} 已以不同内容上报过"]})
    return existing
