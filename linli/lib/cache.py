"""Versioned cache keys for shared read models: a list page cached once for everyone who sees the same
thing, dropped the moment a write that changes it commits.

A *kind* (say "event_cards") has a version counter per *scope* (a community id, or `ALL` for data
that crosses communities). A reader takes the versions of the scopes its answer depends on first,
builds its key from them and from everything else that changes the answer (the viewer's community
ids, filters, page, page size, ordering), and stores only public fields under it. A write bumps the
versions of the scopes it touched when its transaction commits (`bump`, or `invalidate_on_write` for
every save/delete of a model, admin edits included): every later reader gets a new key and rebuilds.

Why it holds:
* versions and entries live in the configured cache — Redis in production, shared by every gunicorn
  host — so a bump on one host is seen by all;
* a reader reads the versions *before* it queries the database, and a write bumps again after its
  commit: an entry built from a snapshot older than the commit is stored under a version the commit
  has replaced (right after it, before the writer's own response);
* a counter that the cache lost (eviction, restart) comes back at a new value (the clock in ns),
  never at one that old entries may still be stored under;
* entries expire after `timeout` anyway, and a reader may shorten it (`expires_at`: e.g. when the
  first listed event ends, since "upcoming" changes with the clock, not with a write).

What is user-specific (my registration, my read state) never goes in an entry: the caller adds it
per request from the user's own rows.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

ALL = "all"  # the scope of data that is not tied to one community
DEFAULT_TIMEOUT = 300  # seconds: an upper bound, not what keeps entries correct (the versions do)
_PREFIX = "rm:"  # read models


def _version_key(kind: str, scope) -> str:
    return f"{_PREFIX}v:{kind}:{scope}"


def versions(kind: str, scopes: Iterable) -> tuple:
    """The current version of each scope (sorted), in one cache round trip; missing ones are created."""
    scopes = sorted({str(s) for s in scopes})
    keys = [_version_key(kind, s) for s in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Not 0: a counter the cache lost must not come back at a value old entries are stored under.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return tuple(found[key] for key in keys)


def bump(kind: str, scopes: Iterable = (ALL,)) -> None:
    """Invalidate every entry of `kind` in these scopes. Called (by `invalidate_on_write`'s signals, or
    a service) from the write that changes the data.

    Inside a transaction it bumps twice: at once, so the transaction's own later reads (and tests,
    whose transactions never commit) see their writes, and again after the commit, because a reader
    that took the first new version before the commit may have stored the old rows under it.
    """
    scopes = sorted({str(s) for s in scopes})

    def apply():
        for scope in scopes:
            entry = _version_key(kind, scope)
            try:
                cache.incr(entry)
            except ValueError:  # not there (never read, or lost): any new value invalidates
                cache.set(entry, time.time_ns(), timeout=None)

    apply()  # a cache that does not answer fails the write here, before anything is committed
    if transaction.get_connection().in_atomic_block:
        # After the commit a failure cannot undo the write: it is logged, and only readers of the
        # moments between the two bumps may keep the old page, for at most the entry's timeout.
        transaction.on_commit(apply, robust=True)


def key(kind: str, scopes: Iterable, *parts) -> str:
    """The entry key: the kind, the scopes' current versions, and the parts that shape the answer."""
    scopes = sorted({str(s) for s in scopes})
    raw = repr((scopes, versions(kind, scopes), parts))
    return f"{_PREFIX}{kind}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def get_or_build(entry_key: str, build: Callable[[], tuple[object, datetime | None]], timeout=DEFAULT_TIMEOUT):
    """The cached value under `entry_key`, or `build()`'s, stored for at most `timeout` seconds.

    `build` returns `(value, expires_at)`: `expires_at` (or None) ends the entry earlier, when the
    answer changes with time rather than with a write. Returns `(value, hit)`.
    """
    stored = cache.get(entry_key)
    # Stored with the moment it ends, checked here as well as by the cache's own expiry: Redis
    # counts whole seconds on its own clock, and an answer must not outlive its moment by one.
    if isinstance(stored, tuple) and len(stored) == 2:
        value, ends_at = stored
        if ends_at is None or timezone.now() < ends_at:
            return value, True
    value, expires_at = build()
    if expires_at is not None:
        timeout = min(timeout, (expires_at - timezone.now()).total_seconds())
    if timeout >= 1:
        cache.set(entry_key, (value, expires_at), timeout=int(timeout))
    return value, False


def _everywhere(instance) -> tuple:
    return (ALL,)


def invalidate_on_write(model, kind: str, scopes: Callable[[object], Iterable] = _everywhere, *, m2m=()) -> None:
    """Bump `kind` in `scopes(instance)` (by default `ALL`) on every save and delete of `model`
    (services, admin edits and status changes alike) and on changes of its many-to-many fields `m2m`
    (through models)."""

    def on_write(sender, instance, **kwargs):
        bump(kind, scopes(instance))

    def on_m2m(sender, instance, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            bump(kind, scopes(instance))

    uid = f"linli.lib.cache:{kind}:{model._meta.label}"
    post_save.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ":delete")
    for through in m2m:
        m2m_changed.connect(on_m2m, sender=through, weak=False, dispatch_uid=f"{uid}:{through._meta.label}")
