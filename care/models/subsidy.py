from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community


class SubsidyAccount(TimestampedModel):
    """养老服务补贴: an elder's allowance account. Staff of the elder's community mark them eligible and
    set the monthly amount; the balance is the running sum of the ledger (`SubsidyEntry`), kept here
    under the account's row lock so it can never go below zero."""

    elder = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_subsidy", verbose_name="老人"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    is_eligible = models.BooleanField("享受补贴", default=True, help_text="取消后不再按月发放，已有余额仍可使用至过期")
    monthly_amount_fen = models.PositiveIntegerField("每月补贴（分）")
    balance_fen = models.PositiveIntegerField("余额（分）", default=0, editable=False)
    note = models.CharField("认定依据", max_length=200, blank=True, help_text="如 80 周岁以上独居、低保")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="认定人",
    )

    class Meta:
        verbose_name = "养老补贴账户"
        verbose_name_plural = "养老补贴账户"
        ordering = ["community_id", "id"]

    def __str__(self):
        return f"{self.elder} · 余额 {self.balance_fen / 100:.2f} 元"


class SubsidyEntry(models.Model):
    """One line of the append-only subsidy ledger. `amount_fen` is signed: a grant or a refund adds,
    a spend or an expiry takes away. `idempotency_key` is unique per account: the monthly grant of a
    month, an order's spend, a refund, an expiry are each written once however often they are asked for."""

    class Kind(models.TextChoices):
        GRANT = "grant", "按月发放"
        SPEND = "spend", "服务抵扣"
        REFUND = "refund", "退回"
        EXPIRE = "expire", "过期清零"

    account = models.ForeignKey(SubsidyAccount, on_delete=models.PROTECT, related_name="entries", verbose_name="账户")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    amount_fen = models.IntegerField("金额（分）", help_text="正数入账，负数出账")
    balance_after_fen = models.PositiveIntegerField("余额（分）")
    month = models.DateField("发放月份", null=True, blank=True, help_text="按月发放的月份（当月 1 日）")
    expires_on = models.DateField("过期日", null=True, blank=True, help_text="发放的补贴在此日后未用完的部分清零")
    order = models.ForeignKey(
        "care.CareOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="订单"
    )
    idempotency_key = models.CharField("幂等键", max_length=80)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "养老补贴流水"
        verbose_name_plural = "养老补贴流水"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "idempotency_key"], name="subsidyentry_once_per_key"),
            models.UniqueConstraint(
                fields=["account", "month"], condition=Q(kind="grant"), name="subsidyentry_one_grant_per_month"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["grant", "refund"], amount_fen__gt=0))
                | (Q(kind__in=["spend", "expire"], amount_fen__lt=0)),
                name="subsidyentry_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="grant", month__isnull=False) | ~Q(kind="grant"), name="subsidyentry_grant_has_month"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_fen / 100:+.2f} 元"
