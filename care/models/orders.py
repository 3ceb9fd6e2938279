from django.conf import settings
from django.db import models
from django.db.models import F, Q

from care.models.providers import CareService, Provider
from linli.accounts.querysets import UserRefsQuerySet
from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Room
from linli.uploads.models import Attachment
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class CheckInMethod(models.TextChoices):
    POSITION = "position", "定位签到"
    DOOR_CODE = "door_code", "扫门牌码签到"


class CareOrder(TimestampedModel):
    """A home-care order (居家养老服务订单) for an elder, at their verified home:
    pending_payment → placed (paid) → dispatched → in_service → done → rated; or cancelled."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "待支付"
        PLACED = "placed", "待派单"
        DISPATCHED = "dispatched", "已派单"
        IN_SERVICE = "in_service", "服务中"
        DONE = "done", "已完成"
        RATED = "rated", "已评价"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        PLACE = "place", "下单"
        PAY = "pay", "支付"
        DISPATCH = "dispatch", "派单"
        CHECK_IN = "check_in", "上门签到"
        CHECK_OUT = "check_out", "服务签退"
        RATE = "rate", "评价"
        CANCEL = "cancel", "取消"
        REFUND = "refund", "退款"

    OPEN_STATUSES = (Status.PENDING_PAYMENT, Status.PLACED, Status.DISPATCHED, Status.IN_SERVICE)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.PAY: ({Status.PENDING_PAYMENT}, Status.PLACED),
            # Dispatching again (another worker) is allowed until the worker is at the door.
            Action.DISPATCH: ({Status.PLACED, Status.DISPATCHED}, Status.DISPATCHED),
            Action.CHECK_IN: ({Status.DISPATCHED}, Status.IN_SERVICE),
            Action.CHECK_OUT: ({Status.IN_SERVICE}, Status.DONE),
            Action.RATE: ({Status.DONE}, Status.RATED),
            Action.CANCEL: ({Status.PENDING_PAYMENT, Status.PLACED, Status.DISPATCHED}, Status.CANCELLED),
        },
        history="care.CareOrderHistory",
    )

    number = models.CharField("订单号", max_length=32, unique=True)
    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_orders", verbose_name="服务对象"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代下单家属",
        help_text="家属代老人下单时为该家属；老人自己下单为空",
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders", verbose_name="服务机构")
    service = models.ForeignKey(CareService, on_delete=models.PROTECT, related_name="orders", verbose_name="服务项目")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name="服务地址")
    scheduled_start = models.DateTimeField("预约开始")
    scheduled_end = models.DateTimeField("预约结束")
    note = models.CharField("备注", max_length=500, blank=True)

    price_fen = models.PositiveIntegerField("服务价格（分）")
    subsidy_fen = models.PositiveIntegerField("补贴抵扣（分）", default=0)
    cash_fen = models.PositiveIntegerField("自付（分）", default=0)
    refunded_subsidy_fen = models.PositiveIntegerField("已退回补贴（分）", default=0)
    refunded_cash_fen = models.PositiveIntegerField("已退款（分）", default=0)
    payment_intent = models.ForeignKey(
        "payments.PaymentIntent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="支付单",
    )

    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_assignments",
        verbose_name="服务人员",
    )
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in_method = models.CharField("签到方式", max_length=10, choices=CheckInMethod.choices, blank=True)
    check_in_distance_m = models.PositiveIntegerField("签到距离（米）", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    service_note = models.TextField("服务记录", max_length=2000, blank=True)
    photos = models.ManyToManyField(
        "uploads.Upload", through="CareOrderPhoto", blank=True, related_name="+", verbose_name="服务照片"
    )
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评价人",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    objects = UserRefsQuerySet.as_manager()

    class Meta:
        verbose_name = "养老服务订单"
        verbose_name_plural = "养老服务订单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "status", "-created_at"], name="careorder_provider_status_idx"),
            models.Index(fields=["elder", "-created_at"], name="careorder_elder_idx"),
            models.Index(fields=["worker", "status"], name="careorder_worker_idx"),
            models.Index(fields=["community", "status"], name="careorder_community_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_fen=F("subsidy_fen") + F("cash_fen")), name="careorder_parts_add_up"
            ),
            models.CheckConstraint(
                condition=Q(refunded_subsidy_fen__lte=F("subsidy_fen")), name="careorder_subsidy_refund_le_paid"
            ),
            models.CheckConstraint(
                condition=Q(refunded_cash_fen__lte=F("cash_fen")), name="careorder_cash_refund_le_paid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="careorder_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(scheduled_end__gt=F("scheduled_start")), name="careorder_window_positive"
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.service.name if self.service_id else ''} · {self.get_status_display()}"


class CareOrderPhoto(Attachment):
    """A photo the care worker took at check-out (the work done)."""

    order = models.ForeignKey(CareOrder, on_delete=models.CASCADE, related_name="photo_links", verbose_name="订单")

    class Meta(Attachment.Meta):
        verbose_name = "服务照片"
        verbose_name_plural = "服务照片"
        constraints = [models.UniqueConstraint(fields=["order", "upload"], name="careorder_photo_once")]


class CareOrderHistory(StatusChange):
    """One step of a care order: placed, paid, dispatched, checked in/out, rated, cancelled, refunded."""

    Action, Status = CareOrder.Action, CareOrder.Status
    subject_field = "order"

    order = models.ForeignKey(CareOrder, on_delete=models.CASCADE, related_name="history", verbose_name="订单")

    class Meta(StatusChange.Meta):
        verbose_name = "订单流转记录"
        verbose_name_plural = "订单流转记录"
