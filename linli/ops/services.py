"""Writes of the operations watch: beat's tick and the alert rows.

The check (`alerts_evaluate`) runs in several places so that it works when beat itself is stuck:
a beat job, `/healthz/detail`, the console's landing page and `manage.py ops_check` (for cron).
Two of them at once open an alert only once: the partial unique constraint decides.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.ops import conf
from linli.ops.models import Heartbeat, OpsAlert
from linli.ops.selectors import OpsStatus, ops_status

Kind = OpsAlert.Kind


def heartbeat_record(*, name: str, now: datetime | None = None) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})
    return heartbeat


@transaction.atomic
def ops_alert_raise(*, kind: str, message: str, now: datetime | None = None) -> OpsAlert:
    """Open the alert of `kind`, or refresh the open one (message, last seen)."""
    now = now or timezone.now()
    alert = OpsAlert.objects.select_for_update().filter(kind=kind, resolved_at__isnull=True).first()
    if alert is None:
        try:
            with transaction.atomic():
                return OpsAlert.objects.create(kind=kind, message=message, opened_at=now, updated_at=now)
        except IntegrityError:
            # Another check opened it between our read and our insert (the insert waited for it).
            alert = OpsAlert.objects.select_for_update().get(kind=kind, resolved_at__isnull=True)
    alert.message, alert.updated_at = message, now
    alert.save(update_fields=["message", "updated_at"])
    return alert


def ops_alert_resolve(*, kind: str, now: datetime | None = None) -> int:
    """Close the open alert of `kind`, if any (one conditional UPDATE)."""
    return OpsAlert.objects.filter(kind=kind, resolved_at__isnull=True).update(resolved_at=now or timezone.now())


def _beat_problem(status: OpsStatus) -> str | None:
    beat = status.beat
    if beat.state == "never":
        return "从未收到定时任务（celery beat）的心跳：beat 是否已启动？"
    if beat.state == "stale":
        minutes = beat.age_seconds // 60
        limit = int(conf.beat_stale_after().total_seconds() // 60)
        return f"定时任务（celery beat）已 {minutes} 分钟没有心跳（超过 {limit} 分钟即告警）：请检查 beat 进程"
    return None


def _queue_problem(status: OpsStatus) -> str | bool | None:
    """A message when a queue is too long; None when all are fine; False when unknown (keep as is)."""
    limit = conf.queue_alert_length()
    if any(length is None for length in status.queues.values()):
        return False
    long = {name: length for name, length in status.queues.items() if length > limit}
    if not long:
        return None
    listed = "，".join(f"{name} 队列 {length} 条" for name, length in long.items())
    return f"任务队列积压：{listed}（超过 {limit} 条即告警）：请检查 worker 是否在运行、是否够用"


def alerts_evaluate(*, status: OpsStatus | None = None, now: datetime | None = None) -> list[OpsAlert]:
    """Open or refresh an alert for each problem found, resolve those that are healthy again.
    Returns the alerts open afterwards."""
    status = status or ops_status(ping_workers=False)
    now = now or timezone.now()
    if status.beat.state != "eager":
        problem = _beat_problem(status)
        if problem:
            ops_alert_raise(kind=Kind.BEAT_STALE, message=problem, now=now)
        else:
            ops_alert_resolve(kind=Kind.BEAT_STALE, now=now)
    queue_problem = _queue_problem(status)
    if queue_problem:
        ops_alert_raise(kind=Kind.QUEUE_BACKLOG, message=queue_problem, now=now)
    elif queue_problem is None:
        ops_alert_resolve(kind=Kind.QUEUE_BACKLOG, now=now)
    return list(OpsAlert.objects.filter(resolved_at__isnull=True).order_by("opened_at"))
