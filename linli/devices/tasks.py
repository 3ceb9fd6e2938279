"""Beat jobs of the device gateway (registered in DevicesConfig.ready). Both are idempotent."""

from celery import shared_task


@shared_task(acks_late=True)
def mark_offline_devices() -> int:
    """Silent devices → offline, one staff alert per outage."""
    from linli.devices.services import devices_mark_offline

    return len(devices_mark_offline())


@shared_task(acks_late=True)
def expire_commands() -> int:
    """Commands nobody acknowledged in time → expired (their ack handlers run)."""
    from linli.devices.services import device_commands_expire

    return device_commands_expire()
