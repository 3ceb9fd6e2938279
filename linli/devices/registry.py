"""How scenario apps hear from devices without the platform importing them.

How an app plugs in: its handlers live in `<app>/devices.py`, where `@on_event` / `@on_command_ack`
register them, and the app's `AppConfig.ready()` imports that module (nowhere else does):

    # merchants/apps.py
    def ready(self):
        from merchants import devices  # noqa: F401  (device event and command-ack handlers)

    # merchants/devices.py
    from linli.devices.registry import on_event, on_command_ack

    @on_event("cabinet.door_closed", kinds=["unmanned_cabinet"], schema=DoorClosedSerializer)
    def settle(device, event): ...          # event is a DeviceEvent, inside the request's transaction

    @on_command_ack("dispense")
    def dispensed(command): ...             # command is a DeviceCommand: done, failed or expired

What the gateway (linli/devices/services.py) guarantees:

* events — `POST /api/v1/devices/events/`: a type nobody registered is 400 `unknown_event_type`; a
  device whose kind is not in `kinds` gets 400 `event_type_not_allowed` (no `kinds`: any device);
  the payload is validated with `schema` first (400 with `payload.<field>` errors). The DeviceEvent
  row and the handler run in one transaction: a handler that raises (a DomainError becomes its
  4xx) stores nothing, so the device may post again. A repeated `event_id` of the same device
  never reaches the handler a second time.
* acks — `POST /api/v1/devices/commands/{id}/ack/` moves a pending command to done/failed and runs
  every handler of its kind once, in that transaction (a handler that raises rolls the ack back).
  A command queued with an expiry (`device_command_create(..., expires_in=…)`, default
  settings.DEVICE_COMMAND_TTL_SECONDS) that nobody acknowledged becomes `expired` in a beat job,
  which runs the same handlers.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventHandler:
    type: str
    handler: Callable
    kinds: tuple[str, ...]
    schema: object | None  # a DRF serializer class validating the payload, or None


_event_handlers: dict[str, EventHandler] = {}
_ack_handlers: dict[str, list[Callable]] = {}


def on_event(event_type: str, *, kinds: list[str] | tuple[str, ...] = (), schema=None):
    def decorator(fn):
        if event_type in _event_handlers and _event_handlers[event_type].handler is not fn:
            raise ValueError(f"device event {event_type!r} already has a handler")
        _event_handlers[event_type] = EventHandler(event_type, fn, tuple(kinds), schema)
        return fn

    return decorator


def on_command_ack(command_kind: str):
    def decorator(fn):
        handlers = _ack_handlers.setdefault(command_kind, [])
        if fn not in handlers:
            handlers.append(fn)
        return fn

    return decorator


def event_handler(event_type: str) -> EventHandler | None:
    return _event_handlers.get(event_type)


def event_types_for_kind(kind: str) -> list[str]:
    """The event types a device of `kind` may post (handlers without `kinds` accept every kind)."""
    return sorted(t for t, h in _event_handlers.items() if not h.kinds or kind in h.kinds)


def ack_handlers(command_kind: str) -> list[Callable]:
    return list(_ack_handlers.get(command_kind, []))
