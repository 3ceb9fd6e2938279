"""Prometheus metrics: the platform's counters, scrape-time collectors, and the /metrics exposition.

Library: prometheus-client (not django-prometheus, whose model and database-backend wrappers we do
not need; our request middleware already knows the view and counts queries). Under gunicorn every
worker process counts on its own; with `PROMETHEUS_MULTIPROC_DIR` set (gunicorn.conf.py does it)
prometheus-client keeps each process's values in files there and the scrape adds them up. Without
it (tests, `manage.py runserver`, eager Celery) the process-local default registry is used.

Counting something (an app's own business counter lives in its own module, e.g. residents/metrics.py):

    from linli.observability.metrics import Counter
    WORK_ORDERS = Counter("linli_work_orders_total", "Work orders opened and closed", ["event"])
    WORK_ORDERS.labels(event="opened").inc()

Label values must come from a small fixed set (a view name, a status, a channel) — never an id, a
path or a user: every distinct value is a new time series in every process's file.

A value that is a state rather than an event ("devices online", "alarms open", "queue length",
"last beat tick") is read when /metrics is scraped, by a *scrape-time collector* registered once,
usually from `AppConfig.ready()`:

    from linli.observability.metrics import register_gauge
    register_gauge("linli_celery_queue_length", "Tasks waiting per queue", read_queue_lengths, labelnames=["queue"])

where `read_queue_lengths()` returns a number, or a dict {label values tuple: number}. For anything
richer (several families, a histogram), `register_collector(name, collect)` takes a callable that
yields prometheus-client metric families, or a prometheus-client `Collector` object.
"""

import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = [
    "Counter",
    "Histogram",
    "register_collector",
    "register_gauge",
    "render",
    "unregister_collector",
]

logger = logging.getLogger(__name__)

# --- Scrape-time collectors ------------------------------------------------------------------------

_collectors: dict[str, Callable[[], Iterable[Metric]]] = {}


def register_collector(name: str, collect) -> None:
    """Add a collector that /metrics evaluates at every scrape, in the process that serves the scrape.

    `name` identifies the registration: registering the same name again replaces it (so a module
    imported twice, or an `AppConfig.ready()` run again by tests, does not duplicate a series).
    `collect` is a zero-argument callable returning an iterable of prometheus-client metric
    families (`GaugeMetricFamily`, `CounterMetricFamily`, …), or an object with such a `collect()`
    method (a prometheus-client `Collector`).

    A collector that raises is logged and skipped, and counted in `linli_scrape_collector_errors`:
    one broken gauge (a database or broker down) must not hide every other metric. Keep collectors
    cheap — a scrape comes every 15-60 s; one aggregate query or one Redis round trip each.
    They are not called outside a scrape, and values they return are not stored anywhere.
    """
    fn = collect.collect if hasattr(collect, "collect") else collect
    if not callable(fn):
        raise TypeError(f"collector {name!r} must be callable or have a collect() method")
    _collectors[name] = fn


def unregister_collector(name: str) -> None:
    """Remove a registration (tests); unknown names are ignored."""
    _collectors.pop(name, None)


def register_gauge(
    name: str,
    documentation: str,
    read: Callable[[], float | Mapping[tuple, float]],
    *,
    labelnames: Sequence[str] = (),
) -> None:
    """A gauge computed at scrape time: `read()` returns a number (no labels), or a dict that maps
    a tuple of label values (in `labelnames` order) to a number. The registration name is the
    metric name."""
    labelnames = list(labelnames)

    def collect():
        value = read()
        family = GaugeMetricFamily(name, documentation, labels=labelnames)
        if isinstance(value, Mapping):
            for labels, number in value.items():
                labels = labels if isinstance(labels, tuple) else (labels,)
                family.add_metric([str(v) for v in labels], float(number))
        else:
            if labelnames:
                raise TypeError(f"gauge {name!r} has labels {labelnames}: read() must return a dict")
            family.add_metric([], float(value))
        yield family

    register_collector(name, collect)


class _ScrapeTimeCollectors:
    def collect(self):
        errors = GaugeMetricFamily(
            "linli_scrape_collector_errors",
            "Scrape-time collectors that failed and were skipped in this scrape",
            labels=["collector"],
        )
        for name, fn in list(_collectors.items()):
            try:
                # Materialised here so that an error halfway through drops the whole collector,
                # not a family with half of its samples.
                families = list(fn())
            except Exception:
                logger.exception("metrics: scrape-time collector %s failed", name)
                errors.add_metric([name], 1.0)
                continue
            yield from families
        yield errors


class _ProcessRegistry:
    # The process-local default registry, as a collector of the per-scrape registry.
    def collect(self):
        return REGISTRY.collect()


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def counters_registry(*, scrape_time: bool) -> CollectorRegistry:
    """A registry of this host's counters (all processes' in multiprocess mode), plus the scrape-time
    collectors when `scrape_time`."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    if scrape_time:
        registry.register(_ScrapeTimeCollectors())
    return registry


def render() -> tuple[bytes, str]:
    """The text exposition of everything: counters (all worker processes' when in multiprocess
    mode) and the scrape-time collectors. Returns (body, content type)."""
    return generate_latest(counters_registry(scrape_time=True)), CONTENT_TYPE_LATEST


def start_worker_exporter(port: int, addr: str = "127.0.0.1"):
    """Serve a Celery worker host's counters (task outcomes, deliveries sent, payments settled by
    tasks) on http://addr:port/ — those happen in the worker's processes, which the web's /metrics
    cannot see. No token: bind it to localhost or a private address the network rules protect. The
    scrape-time gauges are left to the web's /metrics (one place computes them). Returns the server."""
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=addr, registry=counters_registry(scrape_time=False))
    return server


# --- The platform's metrics ------------------------------------------------------------------------

# Latency buckets for a JSON API whose requests take milliseconds; anything over 10 s is stuck
# (gunicorn kills it at 30 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_LATENCY = Histogram(
    "linli_http_request_duration_seconds",
    "Request latency per view; _count is the request count",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
HTTP_RESPONSES = Counter(
    "linli_http_responses_total",
    "Responses per view and status code; >= 500 are errors",
    ["view", "status"],
)
DB_QUERIES = Counter("linli_db_queries_total", "Database queries run by requests, per view", ["view"])
CACHE_LOOKUPS = Counter("linli_cache_lookups_total", "Cache reads per use, hit or miss", ["cache", "result"])
CELERY_TASKS = Counter(
    "linli_celery_tasks_total", "Celery task outcomes: succeeded, failed, retried", ["task", "outcome"]
)
PAYMENTS = Counter("linli_payments_total", "Payment outcomes: succeeded, failed", ["outcome", "method"])
NOTIFICATION_DELIVERIES = Counter(
    "linli_notification_deliveries_total", "Notification deliveries: sent, failed", ["channel", "outcome"]
)


def cache_lookup(cache: str, hit: bool) -> None:
    """Count one read of a cache use that matters (`cache` is a fixed name such as "throttle")."""
    CACHE_LOOKUPS.labels(cache=cache, result="hit" if hit else "miss").inc()
