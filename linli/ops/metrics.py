"""The operations watch in /metrics (linli.observability's scrape-time collectors): queue lengths,
seconds since beat's last tick, workers answering a ping, open alerts. Read at each scrape from the
shared state (broker, database), like /healthz/detail; series whose value is unknown (the embedded
default has no queue, beat or worker) are left out rather than reported as 0."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from linli.ops.models import OpsAlert
from linli.ops.selectors import beat_status, queue_lengths, worker_status

# A scrape waits for the pongs; keep it short (the scrape interval is 15–60 s).
SCRAPE_PING_TIMEOUT = 0.5


def collect():
    queues = GaugeMetricFamily("linli_celery_queue_length", "Messages waiting in each Celery queue", labels=["queue"])
    for name, length in queue_lengths().items():
        if length is not None:
            queues.add_metric([name], length)
    yield queues

    beat = beat_status()
    if beat.state != "eager":
        age = GaugeMetricFamily(
            "linli_beat_last_tick_age_seconds", "Seconds since celery beat last ticked (NaN: never)"
        )
        age.add_metric([], float("nan") if beat.age_seconds is None else beat.age_seconds)
        yield age

    workers = worker_status(timeout=SCRAPE_PING_TIMEOUT)
    if workers.state in ("ok", "none", "unreachable"):
        up = GaugeMetricFamily("linli_celery_workers_up", "Celery workers that answered a ping")
        up.add_metric([], len(workers.names))
        yield up

    alerts = GaugeMetricFamily("linli_ops_alerts_open", "Open operations alerts per kind", labels=["kind"])
    open_by_kind = dict.fromkeys(OpsAlert.Kind.values, 0)
    rows = OpsAlert.objects.filter(resolved_at__isnull=True).values("kind").annotate(n=Count("id")).order_by()
    open_by_kind |= {row["kind"]: row["n"] for row in rows}
    for kind, n in open_by_kind.items():
        alerts.add_metric([kind], n)
    yield alerts
