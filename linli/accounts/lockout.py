"""Brute-force protection for password logins (the staff API login and the admin login).

Failed attempts are counted per account (the username as typed, case-folded) and per client IP
in Django's cache — Redis in production, so every gunicorn worker and host sees the same counts.

* `LOGIN_LOCKOUT_ACCOUNT_FAILURES` (5) failures for one username within
  `LOGIN_LOCKOUT_WINDOW_SECONDS` (15 min) lock that username for `LOGIN_LOCKOUT_SECONDS` (15 min);
* `LOGIN_LOCKOUT_IP_FAILURES` (20) failures from one IP within the window block the IP as long;
* a successful login clears the account's counter.

While locked, every attempt answers 429 `login_locked` without checking the password, also for
usernames that do not exist, so the answer never tells whether an account exists.

An attempt is counted *before* its password is checked (`reserve`, then `failed()` or
`succeeded()`): counting after the check let 60 parallel guesses get 8 passwords checked against a
limit of 5. Now the counter decides atomically which attempts may check a password at all.

Counts use two fixed windows (this one and the previous one), so any `limit` failures that fall
within one window's length are caught wherever the window boundary lies. The lock stores its end
time as the value (the cache timeout only collects the key), which keeps expiry testable with a
moved clock on every cache backend.
"""

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from rest_framework import status
from rest_framework.throttling import BaseThrottle

from linli.api.errors import TooManyRequests

ACCOUNT = "account"
IP = "ip"


class LoginLocked(TooManyRequests):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "login_locked"
    default_message = "登录失败次数过多，请稍后再试"

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"登录失败次数过多，请 {minutes} 分钟后再试")
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def _config() -> dict:
    return {
        ACCOUNT: getattr(settings, "LOGIN_LOCKOUT_ACCOUNT_FAILURES", 5),
        IP: getattr(settings, "LOGIN_LOCKOUT_IP_FAILURES", 20),
        "window": getattr(settings, "LOGIN_LOCKOUT_WINDOW_SECONDS", 15 * 60),
        "lock": getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60),
    }


def client_ip(request) -> str:
    """The client's address as the throttles see it (honours NUM_PROXIES)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _digest(kind: str, value: str) -> str:
    if kind == ACCOUNT:
        value = value.strip().casefold()
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]


def _counter_keys(kind: str, digest: str, window: int, now: float) -> tuple[str, str]:
    current = int(now // window)
    return f"login-fail:{digest}:{current}", f"login-fail:{digest}:{current - 1}"


def _lock_key(digest: str) -> str:
    return f"login-lock:{digest}"


def _subjects(username: str | None, ip: str | None) -> list[tuple[str, str]]:
    subjects = []
    if ip:
        subjects.append((IP, _digest(IP, ip)))
    if username:
        subjects.append((ACCOUNT, _digest(ACCOUNT, username)))
    return subjects


def check(*, username: str | None, ip: str | None) -> None:
    """Raise `LoginLocked` when the IP or the username is locked out right now."""
    now = time.time()
    for _kind, digest in _subjects(username, ip):
        until = cache.get(_lock_key(digest))
        if until is not None and until > now:
            raise LoginLocked(retry_after=math.ceil(until - now))


@dataclass
class Attempt:
    """One password check, counted before it runs. See `reserve`."""

    username: str | None
    # (kind, digest, counter key, this attempt's number within the window) per subject
    slots: list[tuple[str, str, str, int]] = field(default_factory=list)

    def failed(self) -> None:
        """The password was wrong: the attempt that reached a limit locks its subject."""
        config = _config()
        now = time.time()
        for kind, digest, _key, number in self.slots:
            if number >= config[kind]:
                _lock(digest, kind, now)

    def succeeded(self, *, username: str) -> None:
        """A correct password clears the account's failures; the IP's slot is handed back (only failures count)."""
        for kind, _digest, key, _number in self.slots:
            if kind == IP:
                # ValueError: the window's counter is gone (expired, or a lock reset it).
                with contextlib.suppress(ValueError):
                    cache.decr(key)
        record_success(username=username)


def _lock(digest: str, kind: str, now: float) -> None:
    window, lock = _config()["window"], _config()["lock"]
    cache.set(_lock_key(digest), now + lock, timeout=lock + 60)
    # A fresh start once the lock is over, not an instant relock on the next typo.
    cache.delete_many(list(_counter_keys(kind, digest, window, now)))


def reserve(*, username: str | None, ip: str | None) -> Attempt:
    """Count an attempt *before* its password is checked, or raise `LoginLocked`.

    The counter is bumped atomically (`add` + `incr`, atomic on Redis and locmem), so however many
    attempts arrive at once, only the first `limit` of a window get a number within the limit and
    reach the password check; the rest are refused without one. Call `failed()` or `succeeded()`
    on the result once the password is checked.
    """
    check(username=username, ip=ip)
    config = _config()
    window = config["window"]
    now = time.time()
    attempt = Attempt(username=username)
    over = None
    for kind, digest in _subjects(username, ip):
        current, previous = _counter_keys(kind, digest, window, now)
        cache.add(current, 0, timeout=2 * window)
        try:
            number = cache.incr(current)
        except ValueError:  # expired (or reset by a lock) between add and incr
            cache.add(current, 0, timeout=2 * window)
            number = cache.incr(current)
        number += cache.get(previous, 0)
        attempt.slots.append((kind, digest, current, number))
        if number > config[kind]:
            over = (kind, digest)
    if over is not None:
        # More attempts than the limit within one window: refused unchecked; lock, unless one is set.
        kind, digest = over
        cache.add(_lock_key(digest), now + config["lock"], timeout=config["lock"] + 60)
        check(username=username, ip=ip)
        raise LoginLocked(retry_after=config["lock"])
    # Again after counting: the attempt that reached the limit sets the lock and then deletes the
    # counters, so an attempt that passed the first check before the lock and counted after the
    # delete got a fresh number within the limit. The lock is set before the delete, so it is seen here.
    check(username=username, ip=ip)
    return attempt


def record_success(*, username: str) -> None:
    """A correct password clears the account's failures (the IP's stay)."""
    now = time.time()
    digest = _digest(ACCOUNT, username)
    cache.delete_many([*_counter_keys(ACCOUNT, digest, _config()["window"], now), _lock_key(digest)])
