"""Earning rules (积分规则): how many points an act earns, with daily and monthly caps per person.

Scenario apps never pick an amount themselves: they call `linli.points.earning.points_earn(rule=…)`
and the rule the console configures decides (a community's own rule wins over the district default).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.points.models.ledger import PointsEntry
from linli.regions.models import Community


class EarningRuleKey(models.TextChoices):
    VOLUNTEER_HOUR = "volunteer_hour", "志愿服务每小时"
    CLASS_ATTENDED = "class_attended", "学堂每节课出勤"
    CLASS_COMPLETED = "class_completed", "学堂结业"
    WORK_ORDER_RATED = "work_order_rated", "评价工单"
    PROBLEM_REPORT_CONFIRMED = "problem_report_confirmed", "问题上报被确认"
    EVENT_ATTENDED = "event_attended", "活动签到"


class EarningRule(TimestampedModel):
    key = models.CharField("规则", max_length=40, choices=EarningRuleKey.choices)
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="社区",
        help_text="留空为全区默认规则；社区自己的规则优先",
    )
    points_per_unit = models.PositiveIntegerField("每单位积分", help_text="每小时 / 每节课 / 每次")
    daily_cap = models.PositiveIntegerField("每人每日上限", null=True, blank=True, help_text="留空为不限")
    monthly_cap = models.PositiveIntegerField("每人每月上限", null=True, blank=True, help_text="留空为不限")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        ordering = ["key", "community_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "community"], condition=Q(community__isnull=False), name="earning_rule_one_per_community"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(community__isnull=True), name="earning_rule_one_default"
            ),
        ]

    def __str__(self):
        where = self.community.name if self.community_id else "全区默认"
        return f"{self.get_key_display()} · {where} · {self.points_per_unit} 分"


class EarningAward(models.Model):
    """One award under a rule: what the caps count, and the way back from an entry to its rule."""

    rule = models.ForeignKey(EarningRule, on_delete=models.PROTECT, related_name="awards", verbose_name="规则")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="用户")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="earning", verbose_name="积分流水")
    quantity = models.DecimalField("数量", max_digits=8, decimal_places=2)
    points = models.PositiveIntegerField("积分")
    capped = models.BooleanField("受上限削减", default=False)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="来源类型")
    source_id = models.PositiveBigIntegerField("来源 ID")
    source = GenericForeignKey("source_type", "source_id")
    earned_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "规则积分记录"
        verbose_name_plural = "规则积分记录"
        ordering = ["-earned_at", "-id"]
        indexes = [models.Index(fields=["user", "rule", "earned_at"], name="earning_award_cap_idx")]

    def __str__(self):
        return f"{self.rule.get_key_display()} +{self.points}"
