"""Household verification of residents (the estates, buildings and rooms they live in are the
platform's, in `linli.regions`), property work orders as a closed loop, and community announcements.

A verified household is a platform `Membership(role=RESIDENT, community=…, scope=<Room>,
position=<relation>)`: that is how every other app learns who lives where without importing this
one. `Verification` keeps the application history that leads to it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.accounts.querysets import UserRefsQuerySet
from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Room
from linli.uploads.models import Attachment
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Relation(models.TextChoices):
    OWNER = "owner", "业主"
    TENANT = "tenant", "租户"
    FAMILY = "family", "家属"


class Verification(TimestampedModel):
    """A household verification (住户认证) application; approval creates the residency membership."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"
        LEFT = "left", "已迁出"

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        APPROVE = "approve", "通过"
        REJECT = "reject", "驳回"
        LEAVE = "leave", "迁出"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.APPROVE: ({Status.PENDING}, Status.APPROVED),
            Action.REJECT: ({Status.PENDING}, Status.REJECTED),
            Action.LEAVE: ({Status.APPROVED}, Status.LEFT),
        },
        history="residents.VerificationHistory",
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications", verbose_name="申请人"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="verifications", verbose_name="房屋")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    relation = models.CharField("与房屋关系", max_length=10, choices=Relation.choices)
    real_name = models.CharField("真实姓名", max_length=30)
    phone = models.CharField("手机号", max_length=20)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reject_reason = models.CharField("驳回原因", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "住户认证"
        verbose_name_plural = "住户认证"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "room"], condition=Q(status="pending"), name="verification_one_pending_per_room"
            )
        ]

    def __str__(self):
        return f"{self.real_name} · {self.room} · {self.get_status_display()}"


class VerificationHistory(StatusChange):
    """One step of a household verification: submitted, approved or rejected, left."""

    Action, Status = Verification.Action, Verification.Status
    subject_field = "verification"

    verification = models.ForeignKey(
        Verification, on_delete=models.CASCADE, related_name="history", verbose_name="住户认证"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "住户认证记录"
        verbose_name_plural = "住户认证记录"


class WorkOrderCategory(models.Model):
    """报修/投诉分类 with its SLA: hours to respond (assign) and to resolve."""

    name = models.CharField("名称", max_length=30, unique=True)
    response_hours = models.PositiveSmallIntegerField("响应时限（小时）", default=2)
    resolution_hours = models.PositiveSmallIntegerField("办结时限（小时）", default=48)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "工单分类（时限）"
        verbose_name_plural = "工单分类（时限）"
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(response_hours__gt=0), name="category_response_hours_positive"),
            models.CheckConstraint(
                condition=Q(resolution_hours__gte=models.F("response_hours")),
                name="category_resolution_after_response",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def response_time(self) -> timedelta:
        return timedelta(hours=self.response_hours)

    @property
    def resolution_time(self) -> timedelta:
        return timedelta(hours=self.resolution_hours)


class WorkOrder(TimestampedModel):
    """报修 / 投诉 / 建议: submitted → assigned → in_progress → resolved → closed (or cancelled)."""

    class Kind(models.TextChoices):
        REPAIR = "repair", "报修"
        COMPLAINT = "complaint", "投诉"
        SUGGESTION = "suggestion", "建议"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ASSIGNED = "assigned", "已派单"
        IN_PROGRESS = "in_progress", "处理中"
        RESOLVED = "resolved", "待确认"
        CLOSED = "closed", "已办结"
        CANCELLED = "cancelled", "已撤销"

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        ASSIGN = "assign", "派单"
        START = "start", "开始处理"
        RESOLVE = "resolve", "处理完成"
        CONFIRM = "confirm", "确认办结"
        REOPEN = "reopen", "重新处理"
        CANCEL = "cancel", "撤销"
        AUTO_CLOSE = "auto_close", "超时自动关闭"
        ESCALATE = "escalate", "超时上报"
        FOLLOW_UP = "follow_up", "回访"

    class Channel(models.TextChoices):
        SELF = "self", "居民自助"
        STAFF = "staff", "工作人员代办"
        PHONE = "phone", "电话报修"
        FAMILY = "family", "家属代办"

    OPEN_STATUSES = (Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS)

    # Submitting creates the order; escalating and following up are steps that leave the status.
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ASSIGN: ({Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS}, Status.ASSIGNED),
            Action.START: ({Status.ASSIGNED}, Status.IN_PROGRESS),
            Action.RESOLVE: ({Status.IN_PROGRESS}, Status.RESOLVED),
            Action.CONFIRM: ({Status.RESOLVED}, Status.CLOSED),
            Action.REOPEN: ({Status.RESOLVED}, Status.ASSIGNED),
            Action.AUTO_CLOSE: ({Status.RESOLVED}, Status.CLOSED),
            Action.CANCEL: ({Status.SUBMITTED}, Status.CANCELLED),
        },
        history="residents.WorkOrderHistory",
    )

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="work_orders", verbose_name="社区")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="work_orders", verbose_name="报修人"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders", verbose_name="房屋"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.SELF)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办人",
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办家属",
        help_text="亲情账号代办时的家属；空表示本人或工作人员办理",
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    category = models.ForeignKey(WorkOrderCategory, on_delete=models.PROTECT, related_name="+", verbose_name="分类")
    description = models.TextField("描述", max_length=2000)
    location = models.CharField("位置", max_length=200, blank=True)
    photos = models.ManyToManyField(
        "uploads.Upload", through="WorkOrderPhoto", blank=True, related_name="+", verbose_name="照片"
    )
    preferred_time = models.DateTimeField("期望上门时间", null=True, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        verbose_name="处理人",
    )
    response_due_at = models.DateTimeField("响应期限")
    resolution_due_at = models.DateTimeField("办结期限")
    responded_at = models.DateTimeField("首次响应时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    auto_closed = models.BooleanField("超时自动关闭", default=False)
    resolution_note = models.TextField("处理说明", blank=True)
    resolution_photos = models.ManyToManyField(
        "uploads.Upload", through="WorkOrderResolutionPhoto", blank=True, related_name="+", verbose_name="处理照片"
    )
    reopen_count = models.PositiveSmallIntegerField("重开次数", default=0)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)
    escalated_at = models.DateTimeField("超时上报时间", null=True, blank=True)
    follow_up_note = models.TextField("回访记录", blank=True)
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="回访人",
    )

    objects = UserRefsQuerySet.as_manager()

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = "工单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"], name="workorder_community_status_idx"),
            models.Index(fields=["reporter", "-created_at"], name="workorder_reporter_idx"),
            models.Index(fields=["status", "resolved_at"], name="workorder_status_resolved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="workorder_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} · {self.category} · {self.get_status_display()}"


class WorkOrderPhoto(Attachment):
    """A photo the resident (or the staff filing for them) attached to a work order, in its place."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photo_links", verbose_name="工单")

    class Meta(Attachment.Meta):
        verbose_name = "工单照片"
        verbose_name_plural = "工单照片"
        constraints = [models.UniqueConstraint(fields=["work_order", "upload"], name="workorder_photo_once")]


class WorkOrderResolutionPhoto(Attachment):
    """A before/after photo the handler attached when resolving a work order."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="resolution_photo_links", verbose_name="工单"
    )

    class Meta(Attachment.Meta):
        verbose_name = "工单处理照片"
        verbose_name_plural = "工单处理照片"
        constraints = [models.UniqueConstraint(fields=["work_order", "upload"], name="workorder_resolution_photo_once")]


class WorkOrderHistory(StatusChange):
    """One step of a work order's timeline: who did what, when, and how long since the previous step."""

    Action, Status = WorkOrder.Action, WorkOrder.Status
    subject_field = "work_order"

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="history", verbose_name="工单")
    duration_seconds = models.PositiveIntegerField("距上一步（秒）", default=0)

    class Meta(StatusChange.Meta):
        verbose_name = "工单流转记录"
        verbose_name_plural = "工单流转记录"


class Announcement(TimestampedModel):
    """社区公告: visible to the community's residents between publish_at and expires_at."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="announcements", verbose_name="社区"
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", max_length=10000)
    pinned = models.BooleanField("置顶", default=False)
    publish_at = models.DateTimeField("发布时间", db_index=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "社区公告"
        verbose_name_plural = "社区公告"
        ordering = ["-pinned", "-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publish",
            )
        ]

    def __str__(self):
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads", verbose_name="公告")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_reads", verbose_name="用户"
    )
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "公告阅读记录"
        verbose_name_plural = "公告阅读记录"
        ordering = ["-read_at"]
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")]

    def __str__(self):
        return f"{self.user} · {self.announcement}"
