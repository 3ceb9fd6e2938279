"""Fee items (收费项目) of an estate with their rates over time, the bills a bill run issues per room
(and per vehicle for parking), receipts, and the arrears reminders already sent.

Amounts are integer fen. A bill's amount is fixed when it is issued (area and rate are copied onto
it), so a later rate change never rewrites an issued bill; staff change one with `bill_adjust`.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel
from linli.payments.models import PaymentIntent
from linli.regions.models import Community, Estate, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class FeeItem(TimestampedModel):
    """收费项目 of one estate: 物业费 by floor area, 停车费 per vehicle, other fixed monthly fees."""

    class Kind(models.TextChoices):
        PROPERTY = "property", "物业费"
        PARKING = "parking", "停车费"
        OTHER = "other", "其他费用"

    class Charging(models.TextChoices):
        PER_M2_MONTH = "per_m2_month", "按建筑面积（元/㎡·月）"
        FIXED_MONTH = "fixed_month", "固定金额（元/月）"

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="fee_items", verbose_name="小区")
    name = models.CharField("名称", max_length=30, help_text="如 物业费、停车费、垃圾清运费")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.PROPERTY)
    charging = models.CharField("计费方式", max_length=14, choices=Charging.choices, default=Charging.PER_M2_MONTH)
    due_days = models.PositiveSmallIntegerField("缴费期限（天）", default=30, help_text="账期首日起多少天内缴清")
    is_active = models.BooleanField("启用", default=True, help_text="停用后账单生成不再出此项目的账单")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "收费项目"
        verbose_name_plural = "收费项目"
        ordering = ["estate_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "name"], name="feeitem_unique_name_in_estate"),
            # Parking is charged per vehicle and month: a price per m² makes no sense for it.
            models.CheckConstraint(
                condition=~Q(kind="parking", charging="per_m2_month"), name="feeitem_parking_is_fixed"
            ),
        ]

    def __str__(self):
        return f"{self.estate.name} {self.name}"


class FeeRate(TimestampedModel):
    """A rate of a fee item from `effective_from` on, until the next rate of the item takes effect."""

    item = models.ForeignKey(FeeItem, on_delete=models.CASCADE, related_name="rates", verbose_name="收费项目")
    effective_from = models.DateField("生效日期")
    rate_fen = models.PositiveIntegerField(
        "单价（分）", help_text="按面积计费：每平方米每月的分数（1.8 元/㎡·月 填 180）；固定金额：每月的分数"
    )

    class Meta:
        verbose_name = "收费标准"
        verbose_name_plural = "收费标准"
        ordering = ["item_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["item", "effective_from"], name="feerate_one_per_day"),
        ]

    def __str__(self):
        return f"{self.item.name} {self.rate_fen / 100:.2f} 元（{self.effective_from} 起）"


def bill_amount_fen(*, charging: str, rate_fen: int, area_m2: Decimal | None) -> int:
    """Area × rate for area-charged items, the rate itself for fixed ones; rounded to the fen half up
    (四舍五入到分), once per bill: 89.37 ㎡ × 1.80 元 = 160.866 元 → 16087 分."""
    if charging == FeeItem.Charging.FIXED_MONTH:
        return rate_fen
    if area_m2 is None:
        raise ValueError("area-charged bills need the room's floor area")
    return int((Decimal(area_m2) * rate_fen).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class Receipt(TimestampedModel):
    """收据: one per payment (online, or recorded at the counter), listing the bills it paid."""

    class Method(models.TextChoices):
        ONLINE = "online", "在线支付"
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"

    number = models.CharField("收据号", max_length=24, unique=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="property_receipts",
        verbose_name="付款人账号",
    )
    payer_name = models.CharField("付款人", max_length=50)
    method = models.CharField("付款方式", max_length=10, choices=Method.choices)
    amount_fen = models.PositiveIntegerField("金额（分）")
    intent = models.OneToOneField(
        PaymentIntent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="property_receipt",
        verbose_name="支付单",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="收款人",
        help_text="线下收款的物业人员；在线支付为空",
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="如 转账流水号")

    class Meta:
        verbose_name = "收据"
        verbose_name_plural = "收据"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="receipt_amount_positive")]

    def __str__(self):
        return f"收据 {self.number}"


class Bill(TimestampedModel):
    """账单: what a room (or, for parking, a room's vehicle) owes for one fee item and one month."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", "待缴"
        PAID = "paid", "已缴"
        WAIVED = "waived", "已减免"
        PARTIALLY_REFUNDED = "partially_refunded", "部分退款"
        REFUNDED = "refunded", "已退款"

    class Action(models.TextChoices):
        PAY = "pay", "缴费"
        WAIVE = "waive", "减免"
        ADJUST = "adjust", "调整金额"
        REFUND_PART = "refund_part", "部分退款"
        REFUND = "refund", "退款"

    OPEN_STATUSES = (Status.UNPAID,)
    # Money was received for these (the collected amount is amount - refunded).
    COLLECTED_STATUSES = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.REFUNDED)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.PAY: ({Status.UNPAID}, Status.PAID),
            Action.WAIVE: ({Status.UNPAID}, Status.WAIVED),
            Action.ADJUST: ({Status.UNPAID}, Status.UNPAID),
            Action.REFUND_PART: ({Status.PAID, Status.PARTIALLY_REFUNDED}, Status.PARTIALLY_REFUNDED),
            Action.REFUND: ({Status.PAID, Status.PARTIALLY_REFUNDED}, Status.REFUNDED),
        },
        history="property.BillHistory",
    )

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="bills", verbose_name="小区")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bills", verbose_name="房屋")
    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="bills", verbose_name="收费项目")
    vehicle = models.ForeignKey(
        "property.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bills",
        verbose_name="车辆",
        help_text="停车费账单所属车辆",
    )
    period = models.DateField("账期", help_text="该月的第一天", db_index=True)
    title = models.CharField("账单名称", max_length=60)
    area_m2 = models.DecimalField("计费面积（㎡）", max_digits=8, decimal_places=2, null=True, blank=True)
    rate_fen = models.PositiveIntegerField("单价（分）")
    original_fen = models.PositiveIntegerField("应收金额（分）", help_text="出账时按单价计算的金额")
    amount_fen = models.PositiveIntegerField("应缴金额（分）", help_text="调整后的金额；未调整时等于应收金额")
    refunded_fen = models.PositiveIntegerField("已退款（分）", default=0)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.UNPAID, db_index=True)
    due_date = models.DateField("缴费截止")
    method = models.CharField("付款方式", max_length=10, choices=Receipt.Method.choices, blank=True)
    paid_at = models.DateTimeField("缴费时间", null=True, blank=True)
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="bills", verbose_name="收据"
    )
    intent = models.ForeignKey(
        PaymentIntent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="支付单",
        help_text="正在支付或已支付该账单的在线支付单",
    )

    class Meta:
        verbose_name = "账单"
        verbose_name_plural = "账单"
        ordering = ["-period", "room_id", "item_id", "id"]
        indexes = [models.Index(fields=["estate", "period", "status"], name="bill_estate_period_status")]
        constraints = [
            # A bill run issues at most one bill per room, item and month (and per vehicle for parking).
            models.UniqueConstraint(
                fields=["room", "item", "period"],
                condition=Q(vehicle__isnull=True),
                name="bill_one_per_room_item_period",
            ),
            models.UniqueConstraint(
                fields=["vehicle", "item", "period"],
                condition=Q(vehicle__isnull=False),
                name="bill_one_per_vehicle_item_period",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="bill_amount_positive"),
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("amount_fen")), name="bill_refund_le_amount"),
        ]

    def __str__(self):
        return f"{self.room} {self.title}"

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen if self.status in self.COLLECTED_STATUSES else 0


class BillHistory(StatusChange):
    """One step of a bill: paid, waived, its amount adjusted (with the old and new amount), refunded."""

    Action, Status = Bill.Action, Bill.Status
    subject_field = "bill"

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="history", verbose_name="账单")
    amount_before_fen = models.PositiveIntegerField("调整前金额（分）", null=True, blank=True)
    amount_after_fen = models.PositiveIntegerField("调整后金额（分）", null=True, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = "账单记录"
        verbose_name_plural = "账单记录"


class ArrearsReminder(models.Model):
    """A reminder sent for an unpaid bill in one reminder round (the month it was sent in): the beat job
    sends at most one per bill per round, however often it runs."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="reminders", verbose_name="账单")
    round = models.DateField("提醒轮次", help_text="发送当月的第一天")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    recipients = models.PositiveSmallIntegerField("提醒人数", default=0)

    class Meta:
        verbose_name = "欠费提醒"
        verbose_name_plural = "欠费提醒"
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["bill", "round"], name="reminder_one_per_bill_round")]

    def __str__(self):
        return f"{self.bill} · {self.round:%Y-%m}"
