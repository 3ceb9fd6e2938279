"""邻礼积分: an append-only ledger with a balance kept consistent under row locks."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class PointsAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_account", verbose_name="用户"
    )
    balance = models.IntegerField("余额", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "积分账户"
        verbose_name_plural = "积分账户"
        ordering = ["user_id"]
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_never_negative")]

    def __str__(self):
        return f"{self.user} · {self.balance}"


class PointsEntry(models.Model):
    """One movement. Never updated or deleted; the account balance is the running sum."""

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="entries", verbose_name="账户")
    amount = models.IntegerField("变动", help_text="正数为获得，负数为消费")
    balance_after = models.IntegerField("变动后余额")
    reason = models.CharField("原因", max_length=100)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name="来源类型"
    )
    source_id = models.PositiveBigIntegerField("来源 ID", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    idempotency_key = models.CharField("幂等键", max_length=150, unique=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "积分流水"
        verbose_name_plural = "积分流水"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_amount_nonzero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="points_entry_balance_nonnegative"),
        ]

    def __str__(self):
        return f"{self.amount:+d} {self.reason}"
