"""What the operations watch writes: heartbeats (beat's last tick) and alert rows."""

from django.db import models
from django.db.models import Q


class Heartbeat(models.Model):
    """The last time a periodic process showed it is alive, in the database so every host sees it
    (beat runs on one host, the web and the workers on others)."""

    BEAT = "beat"

    name = models.CharField("名称", max_length=50, unique=True)
    beat_at = models.DateTimeField("最后心跳")

    class Meta:
        verbose_name = "运行心跳"
        verbose_name_plural = "运行心跳"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class OpsAlert(models.Model):
    """A condition operators must look at (beat stalled, a queue backing up): open until the check
    finds it healthy again. At most one open alert per kind (a partial unique constraint), so the
    checks running in several places at once never open it twice."""

    class Kind(models.TextChoices):
        BEAT_STALE = "beat_stale", "定时任务（beat）停滞"
        QUEUE_BACKLOG = "queue_backlog", "任务队列积压"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    message = models.CharField("说明", max_length=500)
    opened_at = models.DateTimeField("发生时间")
    updated_at = models.DateTimeField("最近检查", help_text="最近一次检查仍发现该问题的时间")
    resolved_at = models.DateTimeField("恢复时间", null=True, blank=True)

    class Meta:
        verbose_name = "运维告警"
        verbose_name_plural = "运维告警"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(resolved_at__isnull=True), name="ops_one_open_alert"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
