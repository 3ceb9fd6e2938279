"""gunicorn's settings for Linli: `gunicorn linli.wsgi` from the repository root reads this file.

Every value can be overridden by the environment (below) or on the command line.

Worker class and count, measured on the benchmark data (PostgreSQL, Redis; wrk -t2 -c16, 10 s after a
3 s warm-up) on a 2-CPU machine shared with PostgreSQL, Redis, wrk and other people's work, requests/s
of /api/v1/me/ and /api/v1/events/ (each figure one run; the load average was 4-6 in the first
columns, 11-14 in the second, so compare within a column; the first columns ran with `when_ready`'s
gc.freeze below):

    worker class, workers x threads    load 4-6: /me     events     load 11-14: /me     events
    sync 2                                       319       122                  53          15
    sync 4                                  276, 286  103, 106              42, 81      19, 40
    gthread 2 x 4                                308        86             152, 203     18, 53
    gthread 4 x 2                           281, 355  187, 133              92, 170     44, 55
    gthread 4 x 2, CONN_MAX_AGE=0                                                92          32
    (vs 152 and 63 with 60 s in the same minutes)

Threads win although the app is CPU-bound in Python: a request waits on PostgreSQL and Redis for part
of its time, another thread of the process runs meanwhile, and a gthread worker keeps HTTP
connections alive where a sync worker closes each one. Two workers per CPU with two threads each was
the steadiest on both endpoints; more threads raise the GIL contention and the tail (p99). Each thread
keeps its own PostgreSQL connection (CONN_MAX_AGE): size `max_connections` for
workers x threads x hosts, plus Celery.

The tail the 2026-12-06 bench showed (bare view p99 8.6 ms with sync workers, 377 ms with gthread) was
the worker recycling, not the threads: at 4,000 requests/s, `max_requests = 2000` restarted a worker
every two seconds, and a gthread worker going down drops the kept-alive connections it holds (the
client reconnects and waits behind a fresh process). Medians of wrk -t2 -c16, 8 s after 2 s of
warm-up, 2-3 runs each (load average 13-14: other test runs on the 2 CPUs, so the list endpoints'
p99 is the machine's and does not tell the variants apart; the bare view's does):

    variant                           bare view req/s  p99 ms   /me CPU ms (Python)  events CPU ms
    sync 4, max_requests 2000                     202     137                  8.1            8.4
    gthread 4 x 2, max_requests 2000              358     393                  9.5           10.9
    gthread 4 x 2, max_requests 0                 860     168                  8.1
    gthread 4 x 2, max_requests 50000             629      67                                11.5
    sync 4, max_requests 50000                    181     361                                 9.9
    gthread 2 x 4, max_requests 2000              456    2064                  6.9            7.0

So: gthread, 2 workers per CPU x 2 threads, recycled every ~50,000 requests (minutes, not seconds,
at full load; still a bound on what a slow leak in a dependency can take).
"""

import gc
import multiprocessing
import os
import tempfile
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 2))

# A request that takes longer than this is stuck (no endpoint runs for seconds): the worker is
# killed and replaced. Uploads of up to UPLOAD_MAX_BYTES stay well within it behind a buffering proxy.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5  # seconds; the load balancer reuses its connections to the workers

# Recycle each worker after about this many requests (jittered so they do not restart together):
# bounds the memory a slow leak in a dependency can take. Not every few thousand: each restart costs
# a fresh process its warm-up and drops its kept-alive connections (the p99 above).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = max_requests // 10

# Prometheus metrics (linli/observability/metrics.py): every worker process writes its counters to files
# in this directory and /metrics adds them up. It must be set before the app is imported (below, by
# preload_app) and emptied of a previous run's files, or their counts would be added again.
# The default is per bind address, so that two gunicorns on one host never share (or empty) one.
_default_dir = os.path.join(
    tempfile.gettempdir(), "linli-prometheus-" + "".join(c if c.isalnum() else "_" for c in bind)
)
prometheus_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", _default_dir))
prometheus_dir.mkdir(parents=True, exist_ok=True)
for stale in prometheus_dir.glob("*.db"):
    stale.unlink()

# Import the app once in the master and fork it: workers share its memory pages and start at once.
preload_app = True


def when_ready(server):
    """Before the workers are forked: move the imported app's objects out of the garbage collector's reach.

    Django, DRF and the app are some hundred thousand long-lived objects; every full collection walked
    them all (in-process probe: 1.7 ms a request on the events list, 0.07 on /me), and they never die.
    Frozen, a full collection only walks what requests allocate (0.7 ms), and the pages stay shared.
    """
    gc.collect()
    gc.freeze()


def child_exit(server, worker):
    """A worker died or was recycled: its counters stay (totals never go back), its live gauges go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# Access log to stdout (the process manager keeps it; set GUNICORN_ACCESS_LOG="" to turn it off, e.g.
# when the load balancer logs requests already): client, method, path *without the query string*
# (searches and filters may hold phone numbers or names), status, bytes, time in µs, and the request
# id the app answered with (the load balancer's when it is a trusted proxy, else the app's own).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sus "%(a)s" rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The forwarded client address is read by the app (NUM_PROXIES); gunicorn trusts only the local proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
