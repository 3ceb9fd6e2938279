"""Reads of the operations watch: beat's last tick, queue lengths, workers, open alerts.

Everything here reads shared state (the database, the broker), never the process it runs in: the
web host asking is rarely the host that runs beat or the workers.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.selectors import has_role
from linli.ops import conf
from linli.ops.models import Heartbeat, OpsAlert

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps a queue's prioritised messages in sibling lists "<queue>\x06\x16<n>".
_REDIS_PRIORITY_SEP = "\x06\x16"
_REDIS_PRIORITY_STEPS = (3, 6, 9)


def is_ops(user) -> bool:
    """Superusers and holders of the ops role (运维) see alerts, the health detail and the watch."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, Role.OPS)))


def eager() -> bool:
    """The embedded default: tasks run in-process, so there is no worker, beat or queue to watch."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


@dataclass
class BeatStatus:
    state: str  # ok | stale | never (no tick recorded) | eager (no beat in the embedded default)
    last_tick: datetime | None
    age_seconds: int | None


@dataclass
class WorkerStatus:
    state: str  # ok | none (no worker answered) | unreachable (broker) | eager | skipped
    names: list[str] = field(default_factory=list)


@dataclass
class OpsStatus:
    beat: BeatStatus
    queues: dict[str, int | None]  # None: unknown (eager, or a broker we cannot count)
    workers: WorkerStatus

    def as_dict(self) -> dict:
        return {
            "beat": {
                "state": self.beat.state,
                "last_tick": self.beat.last_tick.isoformat() if self.beat.last_tick else None,
                "age_seconds": self.beat.age_seconds,
            },
            "queues": self.queues,
            "workers": {"state": self.workers.state, "count": len(self.workers.names), "names": self.workers.names},
        }


def beat_status(*, now: datetime | None = None) -> BeatStatus:
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=Heartbeat.BEAT).values_list("beat_at", flat=True).first()
    age = int((now - last).total_seconds()) if last else None
    if eager():
        return BeatStatus("eager", last, age)
    if last is None:
        return BeatStatus("never", None, None)
    return BeatStatus("stale" if now - last > conf.beat_stale_after() else "ok", last, age)


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each watched queue (Redis LLEN, priority lists included); None if unknown."""
    queues = conf.celery_queues()
    url = settings.CELERY_BROKER_URL or ""
    if eager() or not url.startswith(("redis://", "rediss://")):
        return dict.fromkeys(queues)
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        with client.pipeline(transaction=False) as pipe:
            for name in queues:
                for key in (name, *(f"{name}{_REDIS_PRIORITY_SEP}{step}" for step in _REDIS_PRIORITY_STEPS)):
                    pipe.llen(key)
            counts = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("ops: cannot count the queues: %s", type(exc).__name__)
        return dict.fromkeys(queues)
    per_queue = 1 + len(_REDIS_PRIORITY_STEPS)
    return {name: sum(counts[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(queues)}


def worker_status(*, timeout: float | None = None) -> WorkerStatus:
    """Which workers answer a broadcast ping within `timeout` seconds (Celery's `inspect ping`)."""
    if eager():
        return WorkerStatus("eager")
    from linli.celery import app

    try:
        replies = app.control.ping(timeout=conf.worker_ping_timeout() if timeout is None else timeout)
    except Exception as exc:  # kombu raises transport-specific errors when the broker is down
        logger.warning("ops: cannot ping the workers: %s", type(exc).__name__)
        return WorkerStatus("unreachable")
    names = sorted(name for reply in replies for name in reply)
    return WorkerStatus("ok" if names else "none", names)


def ops_status(*, ping_workers: bool = True) -> OpsStatus:
    """Beat, queues and (unless `ping_workers` is False: it waits up to a second) the workers."""
    workers = worker_status() if ping_workers else WorkerStatus("skipped")
    return OpsStatus(beat=beat_status(), queues=queue_lengths(), workers=workers)


def open_alerts() -> QuerySet[OpsAlert]:
    return OpsAlert.objects.filter(resolved_at__isnull=True).order_by("opened_at")
