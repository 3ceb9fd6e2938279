"""Manual awards and deductions by community staff, with a reason, within a monthly limit per staff member."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.points.models.ledger import PointsEntry
from linli.regions.models import Community

DEFAULT_MONTHLY_LIMIT = 500


class AdjustmentLimit(models.Model):
    """How many points (awarded plus deducted) one staff member may move by hand in a month in a
    community; a community without a row has DEFAULT_MONTHLY_LIMIT."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+", verbose_name="社区")
    monthly_points = models.PositiveIntegerField("每人每月手工调整上限（积分）", default=DEFAULT_MONTHLY_LIMIT)

    class Meta:
        verbose_name = "手工调整上限"
        verbose_name_plural = "手工调整上限"

    def __str__(self):
        return f"{self.community} · {self.monthly_points}"


class ManualAdjustment(models.Model):
    """Who moved whose points, how many, and why: the audit of every hand-made entry."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="居民")
    amount = models.IntegerField("积分", help_text="正数为奖励，负数为扣减")
    reason = models.CharField("原因", max_length=200)
    entry = models.OneToOneField(
        PointsEntry, on_delete=models.PROTECT, related_name="adjustment", verbose_name="积分流水"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "手工调整"
        verbose_name_plural = "积分手工调整"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["staff", "created_at"], name="adjustment_staff_month_idx"),
            models.Index(fields=["community", "-created_at"], name="adjustment_community_idx"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="adjustment_amount_nonzero")]

    def __str__(self):
        return f"{self.amount:+d} {self.reason}"
