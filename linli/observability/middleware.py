"""Request ids and per-view request metrics; both sit at the top of settings.MIDDLEWARE.

`RequestIdMiddleware` comes first so that everything below it — the error envelope, DRF, the views,
the tasks they enqueue — logs under the request's id, and so that the id is on every response, even a
404 or a 500 rendered further down. `RequestMetricsMiddleware` comes second and times the rest.
"""

import ipaddress
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.core.signals import request_finished
from django.db import connection
from django.dispatch import receiver

from linli.observability.context import new_request_id, request_id, valid_request_id
from linli.observability.metrics import DB_QUERIES, HTTP_LATENCY, HTTP_RESPONSES

HEADER = "X-Request-ID"
# One JSON line per request (view, status, duration, queries) when LOG_REQUESTS=1; off by default
# because gunicorn's access log has the same facts (settings.LOGGING sets this logger's level).
request_logger = logging.getLogger("linli.request")
# Any other method (a client may send "FOO") is counted as "other": labels stay a fixed set.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def from_trusted_proxy(remote_addr: str) -> bool:
    """Whether the peer (REMOTE_ADDR, the load balancer when there is one) is in TRUSTED_PROXIES."""
    proxies = settings.TRUSTED_PROXIES
    if not proxies or not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(proxies)))


class RequestIdMiddleware:
    """Every request gets an id, returned in `X-Request-ID` and put on every log line of the request.

    The client's `X-Request-ID` is kept only when the request comes from a trusted proxy (the load
    balancer that sets it, TRUSTED_PROXIES) and the id looks like one; anyone else could otherwise
    choose the id under which their requests are logged, or inject text into the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID")
        if incoming and valid_request_id(incoming) and from_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            rid = incoming
        else:
            rid = new_request_id()
        request.request_id = rid
        # Not reset on the way out: Django logs a 4xx/5xx ("Not Found: …") after the middleware
        # returns. `clear_request_id` below does it when the response is closed.
        request_id.set(rid)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


@receiver(request_finished, dispatch_uid="observability.clear_request_id")
def clear_request_id(**kwargs):
    # The WSGI server closed the response: this thread's next request, or nothing, follows.
    request_id.set("")


class _QueryCounter:
    # A connection.execute_wrapper: one call per query the request runs on the default database.
    __slots__ = ("count",)

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def view_label(request) -> str:
    """The resolved URL name (namespaced, e.g. "admin:index") or the view's dotted path — never the
    raw path, whose ids would make a time series per object. "unmatched" when nothing resolved
    (404s, static files served by whitenoise)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match._func_path


# (view, method, status) -> the metric children of that combination; a bounded set, as the labels are.
_children: dict[tuple, tuple] = {}


class RequestMetricsMiddleware:
    """Per request: one latency observation (per view and method), one response count (per view and
    status) and, when it ran any, its number of database queries. In-process cost on a bare view is
    in docs/operations.md ("Metrics")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in _METHODS else "other"
        status = response.status_code
        # prometheus-client's labels() locks and validates on every call; the children are cached.
        key = (view, method, status)
        children = _children.get(key)
        if children is None:
            children = _children[key] = (
                HTTP_LATENCY.labels(view, method),
                HTTP_RESPONSES.labels(view, str(status)),
                DB_QUERIES.labels(view),
            )
        children[0].observe(elapsed)
        children[1].inc()
        if counter.count:
            children[2].inc(counter.count)
        if request_logger.isEnabledFor(logging.INFO):
            request_logger.info(
                "%s %s %s",
                method,
                view,
                status,
                extra={
                    "view": view,
                    "method": method,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                    "queries": counter.count,
                },
            )
        return response
