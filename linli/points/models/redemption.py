"""积分兑换: a community's catalogue of goods (collected at 邻礼中心), services and market vouchers,
and the redemptions residents make from it.

A voucher names the merchant that accepts it the way the platform names scenario objects (a content
type and an id, like `Membership.scope`): the points app never imports merchants. That merchant's
members (memberships scoped to it) may verify its vouchers' codes, as community staff may any code.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class RedemptionKind(models.TextChoices):
    GOODS = "goods", "实物（邻礼中心领取）"
    SERVICE = "service", "服务"
    VOUCHER = "voucher", "商家代金券"


class RedemptionItem(TimestampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="redemption_items", verbose_name="社区"
    )
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=10, choices=RedemptionKind.choices, default=RedemptionKind.GOODS)
    description = models.CharField("说明", max_length=500, blank=True, help_text="领取地点、使用方式等")
    points_price = models.PositiveIntegerField("所需积分")
    stock = models.PositiveIntegerField("库存")
    per_person_limit = models.PositiveIntegerField(
        "每人限兑", null=True, blank=True, help_text="每人最多兑换几份（不含已取消的），留空为不限"
    )
    available_from = models.DateTimeField("开始兑换", null=True, blank=True)
    available_until = models.DateTimeField("截止兑换", null=True, blank=True)
    active = models.BooleanField("上架", default=True)
    merchant_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="受理商家类型"
    )
    merchant_id = models.PositiveBigIntegerField("受理商家 ID", null=True, blank=True)
    merchant = GenericForeignKey("merchant_type", "merchant_id")

    class Meta:
        verbose_name = "兑换商品"
        verbose_name_plural = "积分兑换目录"
        ordering = ["community_id", "points_price", "id"]
        indexes = [models.Index(fields=["community", "active"], name="redemption_item_catalogue_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(points_price__gt=0), name="redemption_item_price_positive"),
            models.CheckConstraint(
                condition=~Q(kind="voucher") | Q(merchant_type__isnull=False, merchant_id__isnull=False),
                name="redemption_voucher_names_its_merchant",
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gt=models.F("available_from")),
                name="redemption_item_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.points_price} 分）"


class Redemption(TimestampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "待核销"
        VERIFIED = "verified", "已核销"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        REDEEM = "redeem", "兑换"
        VERIFY = "verify", "核销"
        CANCEL = "cancel", "取消"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.VERIFY: ({Status.PENDING}, Status.VERIFIED),
            Action.CANCEL: ({Status.PENDING}, Status.CANCELLED),
        },
        history="points.RedemptionHistory",
    )

    item = models.ForeignKey(RedemptionItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name="商品")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="redemptions", verbose_name="兑换人"
    )
    points = models.PositiveIntegerField("所用积分")
    code = models.CharField("兑换码", max_length=12, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    verified_at = models.DateTimeField("核销时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核销人",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "积分兑换"
        verbose_name_plural = "积分兑换记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="redemption_user_idx"),
            models.Index(fields=["community", "-created_at"], name="redemption_community_idx"),
            models.Index(fields=["item", "user", "status"], name="redemption_limit_idx"),
        ]

    def __str__(self):
        return f"{self.item.name} · {self.code}"


class RedemptionHistory(StatusChange):
    Action, Status = Redemption.Action, Redemption.Status
    subject_field = "redemption"

    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="history", verbose_name="兑换")

    class Meta(StatusChange.Meta):
        verbose_name = "兑换记录变更"
        verbose_name_plural = "兑换记录变更"
