from django.db import IntegrityError, transaction

from linli.devices.models import Device, DeviceCommand


@transaction.atomic
def device_command_create(*, device: Device, kind: str, payload: dict | None = None, dedupe_key: str | None = None):
    """Queue a command for a device. With `dedupe_key`, asking twice queues it once."""
    if dedupe_key:
        existing = DeviceCommand.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return DeviceCommand.objects.create(device=device, kind=kind, payload=payload or {}, dedupe_key=dedupe_key)
    except IntegrityError:
        return DeviceCommand.objects.get(dedupe_key=dedupe_key)
