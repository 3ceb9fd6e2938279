"""Payment intents, refunds, Pay Score service orders and the log of provider notifications.

A `PaymentIntent` is one amount one payer owes for one thing (`purpose` + `reference`, e.g.
`merchants.order` + the order id). An intent may pay several things at once, or one thing settled
in two ways: then it has `PaymentPart`s (several bills; a care order's subsidy and the rest), and
refunds go per part. The payments platform never imports the app that owns the
thing: that app hears the outcome through the signals in `linli.payments.signals`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel


class Provider(models.TextChoices):
    SANDBOX = "sandbox", "沙箱"
    WECHAT_PAY = "wechat_pay", "微信支付"
    POINTS = "points", "邻礼积分"
    MED_INS_SANDBOX = "med_ins_sandbox", "医保个账（沙箱）"
    WECHAT_MED_INS = "wechat_med_ins", "微信医保支付"
    SETTLED_BY_APP = "settled_by_app", "应用内结算"


class PaymentIntent(TimestampedModel):
    class Method(models.TextChoices):
        WECHAT_PAY = "wechat_pay", "微信支付"
        POINTS = "points", "邻礼积分"
        INSURANCE_ACCOUNT = "insurance_account", "医保个账"
        SETTLED_BY_APP = "settled_by_app", "应用内结算"

    class Status(models.TextChoices):
        CREATED = "created", "待支付"
        SUCCEEDED = "succeeded", "已支付"
        FAILED = "failed", "支付失败"
        CLOSED = "closed", "已关闭"

    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_intents", verbose_name="付款人"
    )
    purpose = models.CharField("用途", max_length=50, help_text="由哪个应用收款，如 merchants.order")
    reference = models.CharField("业务单号", max_length=64, help_text="该应用内被支付对象的编号")
    description = models.CharField("商品描述", max_length=127)
    amount_fen = models.PositiveIntegerField("金额（分）")
    points_fen = models.PositiveIntegerField("积分抵扣（分）", default=0, help_text="1 积分抵 1 分")
    insurance_fen = models.PositiveIntegerField(
        "医保个账支付（分）", default=0, help_text="医保自费混合订单中由医保个人账户支付的部分"
    )
    settled_by_app_fen = models.PositiveIntegerField(
        "应用内结算（分）",
        default=0,
        help_text="明细中由收款应用自行结算的部分（如养老补贴），不经支付通道",
    )
    method = models.CharField("支付方式", max_length=20, choices=Method.choices, default=Method.WECHAT_PAY)
    provider = models.CharField("支付通道", max_length=20, choices=Provider.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CREATED, db_index=True)
    out_trade_no = models.CharField("商户订单号", max_length=32, unique=True)
    provider_transaction_id = models.CharField("通道交易号", max_length=64, blank=True)
    prepay_id = models.CharField("预支付会话标识", max_length=128, blank=True)
    client_params = models.JSONField("调起支付参数", default=dict, blank=True)
    refunded_fen = models.PositiveIntegerField("已退款（分）", default=0, help_text="含处理中的退款")
    expires_at = models.DateTimeField("支付截止", null=True, blank=True, db_index=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    idempotency_key = models.CharField(
        "幂等键", max_length=128, blank=True, help_text="同一付款人同一幂等键只生成一笔支付单（按明细创建时）"
    )

    class Meta:
        verbose_name = "支付单"
        verbose_name_plural = "支付单"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "reference"], name="paymentintent_purpose_ref_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="paymentintent_amount_positive"),
            models.CheckConstraint(condition=Q(points_fen__lte=F("amount_fen")), name="paymentintent_points_le_amount"),
            models.CheckConstraint(
                condition=Q(insurance_fen__lte=F("amount_fen") - F("points_fen")),
                name="paymentintent_insurance_le_rest",
            ),
            models.CheckConstraint(
                condition=Q(settled_by_app_fen__lte=F("amount_fen") - F("points_fen") - F("insurance_fen")),
                name="paymentintent_app_settled_le_rest",
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen__lte=F("amount_fen")), name="paymentintent_refund_le_amount"
            ),
            models.UniqueConstraint(
                fields=["payer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="paymentintent_one_per_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.out_trade_no} {self.amount_fen / 100:.2f} 元 {self.get_status_display()}"

    @property
    def cash_fen(self) -> int:
        """What the payer pays in cash (WeChat Pay): the amount less the points and insurance parts and
        the parts the owning app settles itself."""
        return self.amount_fen - self.points_fen - self.insurance_fen - self.settled_by_app_fen

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen if self.status == self.Status.SUCCEEDED else 0


class PaymentPart(TimestampedModel):
    """One line of an intent that pays several things at once (several bills), or one thing settled in
    two ways (a care order: the subsidy first, the rest online). Refunds go per part, never above it."""

    class Settlement(models.TextChoices):
        PROVIDER = "provider", "在线支付"
        SETTLED_BY_APP = "settled_by_app", "应用内结算（如补贴）"

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="parts", verbose_name="支付单")
    reference = models.CharField("业务单号", max_length=64, help_text="收款应用内该明细对应的对象，如账单编号")
    description = models.CharField("明细说明", max_length=127)
    amount_fen = models.PositiveIntegerField("金额（分）")
    refunded_fen = models.PositiveIntegerField("已退款（分）", default=0, help_text="含处理中的退款")
    settlement = models.CharField(
        "结算方式",
        max_length=20,
        choices=Settlement.choices,
        default=Settlement.PROVIDER,
        help_text="在线支付：经支付通道收取；应用内结算：收款应用已自行扣减（如补贴额度），不经支付通道",
    )

    class Meta:
        verbose_name = "支付明细"
        verbose_name_plural = "支付明细"
        ordering = ["intent_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="paymentpart_amount_positive"),
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("amount_fen")), name="paymentpart_refund_le_amount"),
            models.UniqueConstraint(fields=["intent", "reference"], name="paymentpart_one_per_reference"),
        ]

    def __str__(self):
        return f"{self.description} {self.amount_fen / 100:.2f} 元"

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen


class Refund(TimestampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "退款中"
        SUCCEEDED = "succeeded", "已退款"
        FAILED = "failed", "退款失败"

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="refunds", verbose_name="支付单")
    part = models.ForeignKey(
        PaymentPart,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name="支付明细",
        help_text="按明细退款时退的是哪一项",
    )
    amount_fen = models.PositiveIntegerField("退款金额（分）")
    cash_fen = models.PositiveIntegerField("退回现金（分）")
    points_fen = models.PositiveIntegerField("退回积分（分）")
    insurance_fen = models.PositiveIntegerField("退回医保个账（分）", default=0)
    settled_by_app_fen = models.PositiveIntegerField(
        "由应用退回（分）", default=0, help_text="应用内结算明细的退款：不经支付通道，由收款应用退回（如补贴额度）"
    )
    reason = models.CharField("退款原因", max_length=80)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    out_refund_no = models.CharField("商户退款单号", max_length=64, unique=True)
    provider_refund_id = models.CharField("通道退款单号", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    succeeded_at = models.DateTimeField("退款到账时间", null=True, blank=True)

    class Meta:
        verbose_name = "退款"
        verbose_name_plural = "退款"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_fen=F("cash_fen") + F("points_fen") + F("insurance_fen") + F("settled_by_app_fen")),
                name="refund_parts_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.out_refund_no} {self.amount_fen / 100:.2f} 元 {self.get_status_display()}"


class SandboxInsuranceAccount(TimestampedModel):
    """The sandbox's stand-in for a resident's medical-insurance personal account (医保个账).

    Only the `med_ins_sandbox` provider reads and moves it: the insurance part of a mixed order is
    taken when the order is created, given back when the order closes unpaid or is refunded.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sandbox_insurance_account",
        verbose_name="参保人",
    )
    balance_fen = models.PositiveIntegerField("个账余额（分）", default=0)

    class Meta:
        verbose_name = "医保个账（沙箱）"
        verbose_name_plural = "医保个账（沙箱）"
        ordering = ["user_id"]

    def __str__(self):
        return f"{self.user} 医保个账 {self.balance_fen / 100:.2f} 元"


class PaymentContract(TimestampedModel):
    """A payer's standing authorisation for deferred charges (WeChat Pay Score 免确认授权)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "已授权"
        TERMINATED = "terminated", "已解除"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_contracts", verbose_name="用户"
    )
    provider = models.CharField("支付通道", max_length=20, choices=Provider.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    contract_id = models.CharField("授权协议号", max_length=64, unique=True)
    terminated_at = models.DateTimeField("解除时间", null=True, blank=True)

    class Meta:
        verbose_name = "支付分授权"
        verbose_name_plural = "支付分授权"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider"], condition=Q(status="active"), name="paymentcontract_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_provider_display()} · {self.get_status_display()}"


class ServiceOrder(TimestampedModel):
    """A Pay Score (支付分) service order: opened before the amount is known, completed with it later."""

    class Status(models.TextChoices):
        CREATED = "created", "服务进行中"
        COMPLETED = "completed", "已完结"
        CANCELLED = "cancelled", "已取消"

    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_orders", verbose_name="付款人"
    )
    contract = models.ForeignKey(
        PaymentContract, on_delete=models.PROTECT, related_name="service_orders", verbose_name="授权"
    )
    purpose = models.CharField("用途", max_length=50)
    reference = models.CharField("业务单号", max_length=64)
    description = models.CharField("服务描述", max_length=127)
    provider = models.CharField("支付通道", max_length=20, choices=Provider.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CREATED, db_index=True)
    out_order_no = models.CharField("商户服务订单号", max_length=32, unique=True)
    risk_amount_fen = models.PositiveIntegerField("风险金额上限（分）")
    intent = models.OneToOneField(
        PaymentIntent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_order",
        verbose_name="扣款支付单",
    )
    finished_at = models.DateTimeField("完结时间", null=True, blank=True)

    class Meta:
        verbose_name = "支付分服务订单"
        verbose_name_plural = "支付分服务订单"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.out_order_no} {self.get_status_display()}"


class PaymentNotification(models.Model):
    """Every payment / refund result a provider told us (or the sandbox simulated), and what we did with it."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "已处理"
        DUPLICATE = "duplicate", "重复通知（未改变）"
        LATE_REFUNDED = "late_refunded", "关闭后到账，已原路退回"
        AMOUNT_MISMATCH = "amount_mismatch", "金额不符（拒绝）"
        UNKNOWN = "unknown", "找不到对应单据"
        IGNORED = "ignored", "无需处理"

    provider = models.CharField("支付通道", max_length=20, choices=Provider.choices)
    notification_id = models.CharField("通知 ID", max_length=64, blank=True)
    event_type = models.CharField("事件类型", max_length=40)
    out_trade_no = models.CharField("商户订单号", max_length=64, blank=True, db_index=True)
    out_refund_no = models.CharField("商户退款单号", max_length=64, blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices)
    detail = models.CharField("说明", max_length=200, blank=True)
    payload = models.JSONField("通知内容（已解密）", default=dict, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "支付通知"
        verbose_name_plural = "支付通知"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.event_type} {self.out_trade_no or self.out_refund_no} {self.get_outcome_display()}"
