"""Provincial sync of problem reports and joint inspections (cases keep their own columns on `Case`):
one row per synced record with the province's external id and the versions pushed, and the status
updates pulled back (applied once, never older over newer)."""

from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel


class SyncKind(models.TextChoices):
    REPORT = "report", "问题线索"
    INSPECTION = "inspection", "综合查一次"


class SyncedRecord(TimestampedModel):
    """A report or an inspection as the province knows it.

    `version` goes up with every step of the record's history that the province should hear of;
    `pushed_version` is the last version it acknowledged. A push sends the current version and is
    deduplicated by the province under `linli-<kind>-<id>-v<version>`."""

    class PushStatus(models.TextChoices):
        PENDING = "pending", "待推送"
        PUSHED = "pushed", "已推送"
        FAILED = "failed", "推送失败"

    kind = models.CharField("类型", max_length=12, choices=SyncKind.choices)
    object_id = models.PositiveBigIntegerField("本系统编号")
    version = models.PositiveIntegerField("当前版本", default=1)
    pushed_version = models.PositiveIntegerField("已推送版本", default=0)
    push_status = models.CharField(
        "推送状态", max_length=10, choices=PushStatus.choices, default=PushStatus.PENDING, db_index=True
    )
    push_attempts = models.PositiveSmallIntegerField("推送次数", default=0)
    pushed_at = models.DateTimeField("最近推送成功时间", null=True, blank=True)
    push_error = models.CharField("最近推送错误", max_length=500, blank=True)
    # NULL until the province answers: the (kind, external_id) constraint must not match unpushed rows.
    external_id = models.CharField("省平台编号", max_length=64, null=True, blank=True)  # noqa: DJ001
    platform_status = models.CharField("省平台状态", max_length=40, blank=True)
    platform_status_at = models.DateTimeField("省平台状态时间", null=True, blank=True)

    class Meta:
        verbose_name = "省平台同步记录"
        verbose_name_plural = "省平台同步记录"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="synced_record_once"),
            models.UniqueConstraint(
                fields=["kind", "external_id"], condition=Q(external_id__isnull=False), name="synced_external_id_once"
            ),
            models.CheckConstraint(
                condition=Q(pushed_version__lte=models.F("version")), name="synced_pushed_le_version"
            ),
        ]
        indexes = [models.Index(fields=["push_status", "updated_at"], name="synced_push_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"

    @property
    def is_current(self) -> bool:
        return self.pushed_version >= self.version


class SyncUpdate(models.Model):
    """A status update of a synced record pulled from the province; (kind, update_id) makes it once-only."""

    kind = models.CharField("类型", max_length=12, choices=SyncKind.choices)
    update_id = models.CharField("更新编号", max_length=64)
    record = models.ForeignKey(
        SyncedRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name="同步记录",
    )
    external_id = models.CharField("省平台编号", max_length=64)
    status = models.CharField("状态", max_length=40)
    occurred_at = models.DateTimeField("发生时间")
    note = models.CharField("说明", max_length=400, blank=True)
    payload = models.JSONField("原文", default=dict)
    applied = models.BooleanField("已应用", default=False, help_text="否：记录未找到或比已有状态旧")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "省平台同步回传"
        verbose_name_plural = "省平台同步回传"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "update_id"], name="sync_update_once")]

    def __str__(self):
        return f"{self.kind} {self.update_id} {self.status}"
