"""线上市集: merchants and their onboarding, the catalogue, orders with exact stock, reviews,
and the smart retail devices a merchant runs (rice mill, unmanned cabinet).

A merchant's members are `accounts.Membership(role=MERCHANT_MEMBER, scope=<Merchant>, position=…)`,
with `position` one of `Position`. Nobody is enrolled without consent: a member joins by accepting a
`MerchantInvitation`, and the shop's one owner hands over only by an explicit transfer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Trim, Upper

from linli.devices.models import Device
from linli.lib.models import TimestampedModel
from linli.payments.models import PaymentIntent, ServiceOrder
from linli.regions.models import Community
from linli.uploads.models import Attachment
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Category(models.TextChoices):
    FRUIT_VEG = "fruit_veg", "果蔬生鲜"
    GRAIN_OIL = "grain_oil", "粮油米面"
    PASTRY = "pastry", "糕点小吃"
    FARM = "farm", "农副特产"
    DAILY = "daily", "日用百货"
    SERVICE = "service", "便民服务"
    OTHER = "other", "其他"


class Position(models.TextChoices):
    """A member's place in the shop (`Membership.position`): exactly one owner per shop."""

    OWNER = "owner", "店主"
    MANAGER = "manager", "店长"
    STAFF = "staff", "店员"


class MerchantApplication(TimestampedModel):
    """A resident's request to open a shop; community staff of that community decide."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        APPROVE = "approve", "通过"
        REJECT = "reject", "驳回"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.APPROVE: ({Status.PENDING}, Status.APPROVED),
            Action.REJECT: ({Status.PENDING}, Status.REJECTED),
        },
        history="merchants.MerchantApplicationHistory",
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant_applications", verbose_name="申请人"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="merchant_applications", verbose_name="社区"
    )
    name = models.CharField("店铺名称", max_length=50)
    category = models.CharField("经营类目", max_length=20, choices=Category.choices)
    licence_number = models.CharField("营业执照号", max_length=30, help_text="统一社会信用代码")
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    description = models.TextField("店铺介绍", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    merchant = models.OneToOneField(
        "Merchant", on_delete=models.SET_NULL, null=True, blank=True, related_name="application", verbose_name="店铺"
    )

    class Meta:
        verbose_name = "入驻申请"
        verbose_name_plural = "入驻申请"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"


class MerchantApplicationHistory(StatusChange):
    """One step of an application: submitted, approved or rejected."""

    Action, Status = MerchantApplication.Action, MerchantApplication.Status
    subject_field = "application"

    application = models.ForeignKey(
        MerchantApplication, on_delete=models.CASCADE, related_name="history", verbose_name="入驻申请"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "入驻申请记录"
        verbose_name_plural = "入驻申请记录"


class Merchant(TimestampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "营业中"
        SUSPENDED = "suspended", "已停业"

    name = models.CharField("店铺名称", max_length=50)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="merchants", verbose_name="社区")
    category = models.CharField("经营类目", max_length=20, choices=Category.choices)
    licence_number = models.CharField("营业执照号", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    description = models.TextField("店铺介绍", blank=True)
    address = models.CharField("自提地址", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)

    class Meta:
        verbose_name = "商家"
        verbose_name_plural = "商家"
        ordering = ["community_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="merchant_unique_name_in_community"),
            # One licence, one shop in business: a second shop cannot be opened on someone else's licence.
            models.UniqueConstraint(
                Upper(Trim("licence_number")),
                condition=Q(status="active"),
                name="merchant_unique_active_licence",
                violation_error_message="已有营业中的店铺使用该营业执照号",
            ),
        ]

    def __str__(self):
        return self.name


class MerchantInvitation(TimestampedModel):
    """An invitation to join a shop, sent by its owner or manager to a phone number or as a code.

    Only the invited person's acceptance creates the membership. The phone need not belong to anyone
    yet: whoever registers it later finds the invitation waiting. A code is stored only as its
    SHA-256 digest and is shown once, to the inviter."""

    class Kind(models.TextChoices):
        PHONE = "phone", "手机号邀请"
        CODE = "code", "邀请码"

    class Status(models.TextChoices):
        PENDING = "pending", "待接受"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已拒绝"
        REVOKED = "revoked", "已撤回"
        EXPIRED = "expired", "已过期"

    class Action(models.TextChoices):
        INVITE = "invite", "邀请"
        ACCEPT = "accept", "接受"
        DECLINE = "decline", "拒绝"
        REVOKE = "revoke", "撤回"
        EXPIRE = "expire", "过期"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ACCEPT: ({Status.PENDING}, Status.ACCEPTED),
            Action.DECLINE: ({Status.PENDING}, Status.DECLINED),
            Action.REVOKE: ({Status.PENDING}, Status.REVOKED),
            Action.EXPIRE: ({Status.PENDING}, Status.EXPIRED),
        },
        history="merchants.MerchantInvitationHistory",
    )

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="invitations", verbose_name="店铺")
    position = models.CharField(
        "职务", max_length=10, choices=[(p.value, p.label) for p in Position if p != Position.OWNER]
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    phone = models.CharField("手机号", max_length=20, blank=True)
    code_digest = models.CharField("邀请码摘要", max_length=64, null=True, blank=True, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="邀请人"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    expires_at = models.DateTimeField("有效期至")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merchant_invitations",
        verbose_name="回应人",
        help_text="接受或拒绝邀请的用户",
    )
    responded_at = models.DateTimeField("回应时间", null=True, blank=True)

    class Meta:
        verbose_name = "店铺成员邀请"
        verbose_name_plural = "店铺成员邀请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "status"], name="invitation_phone_status_idx")]
        constraints = [
            # Ownership changes hands only by a transfer, never by an invitation.
            models.CheckConstraint(condition=Q(position__in=["manager", "staff"]), name="invitation_not_owner"),
            models.CheckConstraint(
                condition=Q(kind="phone", code_digest__isnull=True)
                | Q(kind="code", code_digest__isnull=False, phone=""),
                name="invitation_phone_or_code",
            ),
            models.UniqueConstraint(
                fields=["merchant", "phone"],
                condition=Q(status="pending", kind="phone") & ~Q(phone=""),
                name="invitation_one_pending_per_phone",
            ),
        ]

    def __str__(self):
        return f"{self.merchant} · {self.get_position_display()}（{self.get_status_display()}）"


class MerchantInvitationHistory(StatusChange):
    """One step of an invitation: sent, accepted, declined, revoked or expired."""

    Action, Status = MerchantInvitation.Action, MerchantInvitation.Status
    subject_field = "invitation"

    invitation = models.ForeignKey(
        MerchantInvitation, on_delete=models.CASCADE, related_name="history", verbose_name="邀请"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "店铺成员邀请记录"
        verbose_name_plural = "店铺成员邀请记录"


class Product(TimestampedModel):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="products", verbose_name="商家")
    name = models.CharField("商品名称", max_length=60)
    category = models.CharField("分类", max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField("描述", blank=True)
    price_fen = models.PositiveIntegerField("价格（分）")
    unit = models.CharField("单位", max_length=10, default="份", help_text="斤、盒、袋、个……")
    stock = models.PositiveIntegerField("库存", default=0)
    images = models.ManyToManyField(
        "uploads.Upload",
        through="ProductImage",
        blank=True,
        related_name="+",
        verbose_name="图片",
        help_text="店铺成员上传的图片，最多 9 张；第一张是封面",
    )
    is_on_shelf = models.BooleanField("上架", default=True, db_index=True)
    points_price = models.PositiveIntegerField(
        "积分价", null=True, blank=True, help_text="每件最多可用多少积分抵扣（1 积分 = 1 分）；空表示不能用积分"
    )

    class Meta:
        verbose_name = "商品"
        verbose_name_plural = "商品"
        ordering = ["merchant_id", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(points_price__isnull=True) | Q(points_price__lte=F("price_fen")),
                name="product_points_price_le_price",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.merchant}）"


class ProductImage(Attachment):
    """A picture of a product, in its place (the first is the cover). A shop member's own upload."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="image_links", verbose_name="商品")

    class Meta(Attachment.Meta):
        verbose_name = "商品图片"
        verbose_name_plural = "商品图片"
        constraints = [models.UniqueConstraint(fields=["product", "upload"], name="product_image_once")]


class Order(TimestampedModel):
    class Kind(models.TextChoices):
        MARKET = "market", "市集订单"
        RICE_MILL = "rice_mill", "碾米机"
        CABINET = "cabinet", "无人果蔬柜"

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "待支付"
        PAID = "paid", "已支付"
        ACCEPTED = "accepted", "已接单"
        READY = "ready", "待取货"
        COMPLETED = "completed", "已完成"
        UNDER_REVIEW = "under_review", "待核对"
        CANCELLED = "cancelled", "已取消"
        REFUNDED = "refunded", "已退款"

    class Action(models.TextChoices):
        PLACE = "place", "下单"
        FLAG_FOR_REVIEW = "flag_for_review", "转人工核对"
        PAY = "pay", "支付"
        ACCEPT = "accept", "接单"
        READY = "ready", "备货完成"
        PICK_UP = "pick_up", "取货"
        COMPLETE = "complete", "完成出货"
        REVIEW = "review", "核对"
        REFUND = "refund", "退款"
        PARTIAL_REFUND = "partial_refund", "部分退款"
        CANCEL = "cancel", "取消"

    class Fulfilment(models.TextChoices):
        PICKUP = "pickup", "到店自提"
        DELIVERY = "delivery", "送货上门"

    number = models.CharField("订单号", max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="market_orders", verbose_name="下单人"
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办人",
        help_text="亲情账号代下单的家属；空表示本人下单",
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="orders", verbose_name="商家")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.MARKET)
    status = models.CharField("状态", max_length=20, choices=Status.choices, db_index=True)
    fulfilment = models.CharField("配送方式", max_length=10, choices=Fulfilment.choices, default=Fulfilment.PICKUP)
    address = models.CharField("送货地址", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    total_fen = models.PositiveIntegerField("订单金额（分）")
    points_fen = models.PositiveIntegerField("积分抵扣（分）", default=0)
    refunded_fen = models.PositiveIntegerField("已退款（分）", default=0)
    pickup_code = models.CharField("取货码", max_length=6, blank=True)
    payment_intent = models.OneToOneField(
        PaymentIntent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_order",
        verbose_name="支付单",
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="market_orders", verbose_name="设备"
    )
    needs_review = models.BooleanField("需人工核对", default=False, db_index=True)
    review_note = models.CharField("核对说明", max_length=300, blank=True)
    stock_released = models.BooleanField("库存已退回", default=False)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    # Orders are created by placing them (or, for an ambiguous cabinet visit, flagged for review);
    # a partial refund is a step that leaves the status. Device orders complete straight from paid.
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.PAY: ({Status.PENDING_PAYMENT}, Status.PAID),
            Action.ACCEPT: ({Status.PAID}, Status.ACCEPTED),
            Action.READY: ({Status.ACCEPTED}, Status.READY),
            Action.PICK_UP: ({Status.READY}, Status.COMPLETED),
            Action.COMPLETE: ({Status.PAID}, Status.COMPLETED),
            Action.REVIEW: ({Status.UNDER_REVIEW}, Status.PENDING_PAYMENT),
            Action.REFUND: ({Status.PAID, Status.ACCEPTED, Status.READY, Status.COMPLETED}, Status.REFUNDED),
            Action.CANCEL: ({Status.PENDING_PAYMENT, Status.UNDER_REVIEW}, Status.CANCELLED),
        },
        history="merchants.OrderHistory",
    )

    class Meta:
        verbose_name = "订单"
        verbose_name_plural = "订单"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["merchant", "status", "-created_at"], name="order_merchant_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(points_fen__lte=F("total_fen")), name="order_points_le_total"),
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("total_fen")), name="order_refund_le_total"),
        ]

    def __str__(self):
        return f"{self.number}（{self.get_status_display()}）"

    @property
    def cash_fen(self) -> int:
        return self.total_fen - self.points_fen

    # The items and the history in order, as the API shows them. The order selectors prefetch them
    # into these lists (`Prefetch(..., to_attr=...)`): a prefetched manager would cost a filtered
    # queryset per order of a page. An order loaded another way reads them when asked.
    @property
    def item_list(self) -> list["OrderItem"]:
        if "prefetched_items" not in self.__dict__:
            self.prefetched_items = list(self.items.order_by("id"))
        return self.prefetched_items

    @property
    def history_list(self) -> list["OrderHistory"]:
        if "prefetched_history" not in self.__dict__:
            self.prefetched_history = list(self.history.order_by("created_at", "id"))
        return self.prefetched_history


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items", verbose_name="订单")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="order_items", verbose_name="商品"
    )
    name = models.CharField("品名", max_length=80)
    unit = models.CharField("单位", max_length=10)
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    quantity = models.PositiveIntegerField("数量")
    subtotal_fen = models.PositiveIntegerField("小计（分）")
    weight_g = models.PositiveIntegerField("重量（克）", null=True, blank=True)

    class Meta:
        verbose_name = "订单明细"
        verbose_name_plural = "订单明细"
        ordering = ["order_id", "id"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class OrderHistory(StatusChange):
    """One step of an order (or a note on it, such as a partial refund): who, when, from, to."""

    Action, Status = Order.Action, Order.Status
    subject_field = "order"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history", verbose_name="订单")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = "订单记录"
        verbose_name_plural = "订单记录"

    def __str__(self):
        return f"{self.order.number}: {self.from_status or '—'} → {self.to_status}"


class Review(TimestampedModel):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="review", verbose_name="订单")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_reviews", verbose_name="评价人"
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="reviews", verbose_name="商家")
    rating = models.PositiveSmallIntegerField("评分", validators=[MinValueValidator(1), MaxValueValidator(5)])
    content = models.TextField("内容", blank=True, max_length=500)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.merchant} {self.rating}★"


class MerchantDevice(models.Model):
    """A smart retail device (rice mill, unmanned cabinet) and the merchant who runs and stocks it."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="devices", verbose_name="商家")
    device = models.OneToOneField(Device, on_delete=models.PROTECT, related_name="merchant_link", verbose_name="设备")

    class Meta:
        verbose_name = "商家设备"
        verbose_name_plural = "商家设备"
        ordering = ["merchant_id", "id"]

    def __str__(self):
        return f"{self.merchant} · {self.device}"


class CabinetSlot(models.Model):
    """One weighed slot of an unmanned cabinet, holding one product."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="cabinet_slots", verbose_name="果蔬柜")
    code = models.CharField("货道", max_length=10)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="cabinet_slots", verbose_name="商品")
    unit_weight_g = models.PositiveIntegerField("单件重量（克）")
    tolerance_g = models.PositiveIntegerField("允许误差（克）")

    class Meta:
        verbose_name = "果蔬柜货道"
        verbose_name_plural = "果蔬柜货道"
        ordering = ["device_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["device", "code"], name="cabinetslot_unique_code"),
            models.CheckConstraint(condition=Q(unit_weight_g__gt=0), name="cabinetslot_unit_weight_positive"),
            models.CheckConstraint(
                condition=Q(tolerance_g__lt=F("unit_weight_g") / 2), name="cabinetslot_tolerance_below_half_unit"
            ),
        ]

    def __str__(self):
        return f"{self.device.code}/{self.code} {self.product.name}"


class CabinetSession(TimestampedModel):
    """One visit to an unmanned cabinet: door opened for a resident, closed, weighed, settled."""

    class Status(models.TextChoices):
        OPEN = "open", "柜门已开"
        SETTLED = "settled", "已结算"
        UNDER_REVIEW = "under_review", "待核对"
        EMPTY = "empty", "未取商品"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cabinet_sessions", verbose_name="用户"
    )
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="cabinet_sessions", verbose_name="果蔬柜")
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="cabinet_sessions", verbose_name="商家"
    )
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    service_order = models.OneToOneField(
        ServiceOrder, on_delete=models.PROTECT, related_name="cabinet_session", verbose_name="支付分服务订单"
    )
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="cabinet_session", verbose_name="订单"
    )
    readings = models.JSONField("称重读数", default=list, blank=True)
    closed_at = models.DateTimeField("关门时间", null=True, blank=True)

    class Meta:
        verbose_name = "果蔬柜购物"
        verbose_name_plural = "果蔬柜购物"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(status="open"), name="cabinetsession_one_open"),
        ]

    def __str__(self):
        return f"{self.device.code} {self.user} {self.get_status_display()}"
