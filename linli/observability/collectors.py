"""The platform's scrape-time gauges (see metrics.register_gauge): states read when /metrics is scraped."""

from django.db.models import Count

from linli.observability.metrics import register_gauge


def devices_by_status() -> dict[tuple, int]:
    # Status is kept by the heartbeat watch (linli.devices): online, offline (missed heartbeats), disabled.
    from linli.devices.models import Device

    counts = {(status,): 0 for status in Device.Status.values}
    for row in Device.objects.values("status").annotate(n=Count("id")).order_by():
        counts[(row["status"],)] = row["n"]
    return counts


register_gauge(
    "linli_devices", "Devices per heartbeat status: online, offline, disabled", devices_by_status, labelnames=["status"]
)
