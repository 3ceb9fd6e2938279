"""How scenario apps hear from devices without the platform importing them.

    # merchants/devices.py (imported from the app's AppConfig.ready)
    from linli.devices.registry import on_event, on_command_ack

    @on_event("cabinet.door_closed", kinds=["unmanned_cabinet"])
    def settle(device, event): ...          # event is a DeviceEvent, inside the request's transaction

    @on_command_ack("dispense")
    def dispensed(command): ...             # command is a DeviceCommand, status done or failed

An event type nobody registered is rejected (400) by the events endpoint.
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


def event_types() -> list[str]:
    return sorted(_event_handlers)


def ack_handlers(command_kind: str) -> list[Callable]:
    return list(_ack_handlers.get(command_kind, []))
