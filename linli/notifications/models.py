from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One message in a user's in-app inbox. Every notification lands here, whatever else is sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类型", max_length=50, db_index=True, help_text="如 work_order.assigned")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", blank=True)
    link = models.CharField("小程序页面", max_length=300, blank=True)
    data = models.JSONField("附加数据", default=dict, blank=True)
    dedupe_key = models.CharField("去重键", max_length=150, blank=True, default="")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"
