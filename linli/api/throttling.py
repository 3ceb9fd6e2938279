"""The per-user and per-client rate limits of every endpoint, in one Redis round trip per request.

DRF's Anon/UserRateThrottle keep a list of timestamps per client in the cache: a read and a write,
each through Django's cache, which builds a new Redis client every time (0.9–1.6 ms a request on the
benchmark). These count requests in fixed windows instead: INCR and EXPIRE of one key in a single
pipelined round trip, on a connection pool made once per process (per REDIS_URL). Without Redis (the
embedded default, tests) the counter lives in Django's cache. Rates, the 429 envelope and its
Retry-After are DRF's: `THROTTLE_ANON` / `THROTTLE_USER` in the settings, `Throttled(wait)`.

A fixed window admits at most the rate within any window and up to twice it across a boundary,
which is what a flood guard needs; the login throttles that count guesses stay DRF's sliding ones.
"""

import math
import threading

import redis
from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

_clients: dict[str, redis.Redis] = {}
_lock = threading.Lock()


def _redis() -> redis.Redis | None:
    """This process's client for REDIS_URL (its pool reconnects after a fork), or None without Redis."""
    url = settings.REDIS_URL
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        with _lock:
            client = _clients.setdefault(url, redis.Redis.from_url(url))
    return client


def hit(key: str, seconds: int) -> int:
    """Count one request against `key` in its window; the count so far, this one included."""
    client = _redis()
    if client is None:
        cache.add(key, 0, seconds + 1)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens a new window
            cache.add(key, 1, seconds + 1)
            return 1
    pipe = client.pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, seconds + 1)
    count, _ = pipe.execute()
    return count


class FixedWindowMixin:
    """`allow_request` for a SimpleRateThrottle: one counter per client and window."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = self.timer()
        window = math.floor(now / self.duration)
        count = hit(f"throttle:{ident}:{window}", self.duration)
        self._wait = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self):
        return self._wait


class AnonThrottle(FixedWindowMixin, AnonRateThrottle):
    """Anonymous clients by IP: the `anon` rate (THROTTLE_ANON)."""


class UserThrottle(FixedWindowMixin, UserRateThrottle):
    """Signed-in users by id (anonymous ones by IP): the `user` rate (THROTTLE_USER)."""
