"""Observability: Prometheus metrics (/metrics), request ids and structured logs, error reporting.

* metrics.py     — the platform's counters, scrape-time collectors (`register_gauge`, `register_collector`)
                   and the exposition served by views.py at /metrics (bearer token METRICS_TOKEN)
* middleware.py  — request id (X-Request-ID from trusted proxies) and per-view request metrics
* context.py     — the current request id (a contextvar), carried into Celery tasks by celery.py
* logging.py     — JSON log lines, request id on every record, scrubbing of personal data and secrets
* sentry.py      — optional sentry-sdk, only with SENTRY_DSN, with the same scrubbing

docs/operations.md ("Metrics", "Request ids and logs", "Error reporting") is the operator's side.
"""
