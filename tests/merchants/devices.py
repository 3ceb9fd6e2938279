"""Drive the market's device handlers the way the device gateway does: through linli.devices.registry."""

from django.utils import timezone

from linli.devices import registry
from linli.devices.models import DeviceCommand, DeviceEvent


def post_event(device, event_type: str, payload: dict, *, event_id: str):
    """A device posts an event; a re-post with the same event_id reaches the handler again (worst case)."""
    event, _ = DeviceEvent.objects.get_or_create(
        device=device,
        event_id=event_id,
        defaults={"type": event_type, "payload": payload, "occurred_at": timezone.now()},
    )
    entry = registry.event_handler(event_type)
    assert entry is not None, f"nobody handles {event_type}"
    assert device.kind in entry.kinds
    if entry.schema is not None:
        entry.schema(data=payload).is_valid(raise_exception=True)
    entry.handler(device, event)
    return event


def ack(command: DeviceCommand, status: str, result: dict | None = None) -> DeviceCommand:
    command.status = status
    command.result = result or {}
    command.acked_at = timezone.now()
    command.save(update_fields=["status", "result", "acked_at"])
    for handler in registry.ack_handlers(command.kind):
        handler(command)
    return command
