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
    push_channels = models.JSONField("推送渠道", default=list, blank=True, help_text="站内信之外的渠道")
    dispatch_pending = models.BooleanField("待分发推送", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["created_at"], condition=Q(dispatch_pending=True), name="notification_dispatch_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"


class Delivery(models.Model):
    """One push of one notification over one channel (WeChat subscribe message, SMS).

    Unique per notification and channel, so a retried or duplicated task finds the row and never
    sends twice: a sender claims it (pending/retrying → sending) in one conditional UPDATE before
    calling the provider, and marks it sent after. The in-app inbox needs no row: it *is* the
    Notification.
    """

    class Channel(models.TextChoices):
        WECHAT = "wechat", "微信订阅消息"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        RETRYING = "retrying", "等待重试"
        SENT = "sent", "已发送"
        SKIPPED = "skipped", "未发送（仅站内）"
        FAILED = "failed", "发送失败"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name="消息"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="接收人"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    address = models.CharField("发送地址", max_length=64, blank=True, help_text="openid 或手机号")
    template_id = models.CharField("模板", max_length=64, blank=True)
    payload = models.JSONField("发送内容", default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    quota_spent = models.BooleanField("已扣减订阅次数", default=False)
    provider_ref = models.CharField("渠道回执", max_length=64, blank=True, help_text="微信 msgid 或短信回执号")
    error_code = models.CharField("错误码", max_length=32, blank=True)
    error_message = models.CharField("错误信息", max_length=255, blank=True)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient_id} · {self.get_status_display()}"


class SubscriptionQuota(models.Model):
    """WeChat one-time subscriptions: each acceptance of a template allows one message with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription_quotas", verbose_name="用户"
    )
    template_id = models.CharField("订阅消息模板", max_length=64)
    remaining = models.PositiveIntegerField("剩余次数", default=0)
    accepted_total = models.PositiveIntegerField("累计授权次数", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "订阅消息授权"
        verbose_name_plural = "订阅消息授权"
        ordering = ["user_id", "template_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "template_id"], name="subscription_quota_unique"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="subscription_quota_not_negative"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.template_id} × {self.remaining}"


class NotificationPreference(models.Model):
    """A user's choice for one topic (linli/notifications/conf.py). Only non-essential topics can be muted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="用户",
    )
    kind = models.CharField("通知类别", max_length=50)
    enabled = models.BooleanField("接收推送", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        ordering = ["user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {'开' if self.enabled else '关'}"
