"""使用限额: fair-use limits per person, editable in the console; the defaults below apply without a row."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel


class Key(models.TextChoices):
    UPCOMING_APPOINTMENTS = "upcoming_appointments", "同时持有的医生预约"
    PENDING_VERIFICATIONS = "pending_verifications", "待审核的住户认证申请"
    WEEKLY_VENUE_BOOKINGS = "weekly_venue_bookings", "每周场地预约"


@dataclass(frozen=True)
class Rule:
    default: int
    counts: str  # what is counted against the limit, as staff read it in the console
    message: str  # the refusal a resident sees; {limit} is the current value


RULES: dict[str, Rule] = {
    Key.UPCOMING_APPOINTMENTS: Rule(
        default=3,
        counts="每人同时持有的、尚未到就诊时间的预约（已取消的不计）。另：同一人的预约时间不能重叠。",
        message="最多可同时预约{limit}个号源，请先就诊或取消已有预约",
    ),
    Key.PENDING_VERIFICATIONS: Rule(
        default=2,
        counts="每人同时在等待审核的住户认证申请（已通过、已驳回的不计）。",
        message="最多可同时有{limit}个待审核的住户认证申请，请等待社区审核",
    ),
    Key.WEEKLY_VENUE_BOOKINGS: Rule(
        default=3,
        counts="每位居民在一个自然周（周一至周日）内的有效场地预约，按预约开始时间计（已取消的不计；本社区工作人员不受限）。",
        message="每人每周最多预约场地{limit}次",
    ),
}


class FairUseLimit(TimestampedModel):
    """The value of one limit. Without a row, the limit's default in RULES applies."""

    key = models.CharField("限额项目", max_length=40, choices=Key.choices, unique=True)
    value = models.PositiveSmallIntegerField(
        "上限", validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="每人最多几个（1–100）"
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="例如调整的原因")

    class Meta:
        verbose_name = "使用限额"
        verbose_name_plural = "使用限额"
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=100), name="fairuselimit_value_range"),
        ]

    def __str__(self):
        return f"{self.get_key_display()}：{self.value}"

    @property
    def rule(self) -> Rule:
        return RULES[self.key]
