"""Problem reports (线索) through the closed loop 发现 → 流转 → 处置 → 反馈, their history, followers,
the team's requests that need the dispatcher (return, deadline extension) and sensor episodes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from enforcement.models.catalogue import Category, Matter, Team
from linli.accounts.querysets import UserRefsQuerySet
from linli.devices.models import Device
from linli.lib.models import TimestampedModel
from linli.regions.models import Street
from linli.uploads.models import Attachment
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class ReportAction(models.TextChoices):
    """What happens to a report: the loop's transitions and the steps that leave the status alone."""

    REPORT = "report", "上报"
    DISPATCH = "dispatch", "派遣"
    REROUTE = "reroute", "改派"
    ACCEPT = "accept", "受理"
    HANDLE = "handle", "开始处置"
    OUTCOME = "outcome", "处置完成"
    FEEDBACK = "feedback", "反馈"
    CLOSE = "close", "办结"
    MERGE = "merge", "合并"
    RATE = "rate", "评价"
    ESCALATE = "escalate", "超时升级"
    REQUEST_RETURN = "request_return", "申请退回"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    RETURN_APPROVED = "return_approved", "退回获批"
    RETURN_REJECTED = "return_rejected", "退回被驳回"
    EXTENSION_APPROVED = "extension_approved", "延期获批"
    EXTENSION_REJECTED = "extension_rejected", "延期被驳回"
    DETECTED_AGAIN = "detected_again", "再次感知"
    NOTE = "note", "内部备注"
    OFFER = "offer", "值班派单"
    OFFER_DECLINED = "offer_declined", "拒绝接单"
    OFFER_TIMEOUT = "offer_timeout", "接单超时"
    REASSIGN = "reassign", "转派下一位"
    NO_OFFICER = "no_officer", "无在岗人员"


class ProblemReport(TimestampedModel):
    class Channel(models.TextChoices):
        RESIDENT = "resident", "居民上报"
        GRID = "grid", "网格员上报"
        PATROL = "patrol", "自主巡查"
        HOTLINE = "hotline", "12345 热线"
        CAMERA = "camera", "AI 摄像头"
        SENSOR = "sensor", "物联网传感器"
        INSPECTION = "inspection", "综合查一次"
        OPEN311 = "open311", "Open311 接入"
        LIAISON = "liaison", "村联络员上报"

    class Status(models.TextChoices):
        REPORTED = "reported", "待派遣"
        DISPATCHED = "dispatched", "已派遣"
        ACCEPTED = "accepted", "已受理"
        HANDLING = "handling", "处置中"
        RESOLVED = "resolved", "已处置"
        FEEDBACK = "feedback", "已反馈"
        CLOSED = "closed", "已办结"
        MERGED = "merged", "已合并"

    class Outcome(models.TextChoices):
        PERSUADED = "persuaded", "劝导"
        RECTIFIED = "rectified", "已整改"
        CASE_FILED = "case_filed", "已立案"
        NOT_VALID = "not_valid", "不属实"

    OPEN_STATUSES = (Status.REPORTED, Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING)
    WORKING_STATUSES = (Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING)
    DONE_STATUSES = (Status.RESOLVED, Status.FEEDBACK, Status.CLOSED)

    # action → (statuses it may start from, status it leads to); anything else is 409 invalid_transition.
    workflow = Workflow(
        actions=ReportAction,
        transitions={
            ReportAction.DISPATCH: ({Status.REPORTED}, Status.DISPATCHED),
            ReportAction.REROUTE: (WORKING_STATUSES, Status.DISPATCHED),
            ReportAction.ACCEPT: ({Status.DISPATCHED}, Status.ACCEPTED),
            ReportAction.HANDLE: ({Status.ACCEPTED}, Status.HANDLING),
            ReportAction.OUTCOME: ({Status.HANDLING}, Status.RESOLVED),
            ReportAction.FEEDBACK: ({Status.RESOLVED}, Status.FEEDBACK),
            ReportAction.CLOSE: ({Status.FEEDBACK}, Status.CLOSED),
            ReportAction.MERGE: (OPEN_STATUSES, Status.MERGED),
            ReportAction.RETURN_APPROVED: (WORKING_STATUSES, Status.REPORTED),
        },
        history="enforcement.ReportHistory",
    )

    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices, db_index=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports", verbose_name="问题分类")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="reports", verbose_name="执法事项")
    description = models.TextField("问题描述", max_length=2000)
    photos = models.ManyToManyField(
        "uploads.Upload",
        through="ReportPhoto",
        blank=True,
        related_name="+",
        verbose_name="照片",
        help_text="本系统的上传图片：上报人的，及处置人员补充的处置后照片",
    )
    external_media_url = models.URLField(
        "外部图片地址",
        max_length=500,
        blank=True,
        help_text="外部来源（Open311 接入方的 media_url、AI 摄像头的抓拍）给出的地址：只作为文本保存，从不抓取",
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇（街道）"
    )
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_public = models.BooleanField(
        "公开描述与照片",
        default=False,
        help_text="上报人的选择：公开后，关注者与 Open311 可见问题描述（电话、身份证号打码）与照片；"
        "上报人身份与精确位置始终不公开",
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enforcement_reports",
        verbose_name="上报人",
    )
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="感知设备"
    )
    open311_client = models.ForeignKey(
        "enforcement.Open311Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="Open311 接入应用",
    )

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REPORTED, db_index=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name="承办队伍"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    deadline_at = models.DateTimeField("处置期限", null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField("处置完成时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("处置结果", max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("处置情况（内部）", blank=True)
    feedback = models.TextField("反馈内容（告知上报人）", blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        "超时升级", default=0, help_text="0 未升级，1 已报队长，2 已报区指挥中心"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name="合并至"
    )
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)

    objects = UserRefsQuerySet.as_manager()

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = "问题线索"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status", "-created_at"], name="report_team_status_idx"),
            models.Index(fields=["category", "status", "lat", "lng"], name="report_nearby_idx"),
            models.Index(fields=["status", "deadline_at"], name="report_overdue_idx"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_idx"),
            models.Index(fields=["updated_at"], name="report_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="report_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="report_merged_has_target"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category} · {self.get_status_display()}"


class ReportPhoto(Attachment):
    """A photo of a report, in its place: the reporter's first, then officers' after photos."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="photo_links", verbose_name="线索")

    class Meta(Attachment.Meta):
        verbose_name = "线索照片"
        verbose_name_plural = "线索照片"
        constraints = [models.UniqueConstraint(fields=["report", "upload"], name="report_photo_once")]


class ReportHistory(StatusChange):
    """One step of a report's history. `internal` steps (and notes) are never shown to residents:
    the public timeline is the `PUBLIC_ACTIONS` that are not `internal`."""

    subject_field = "report"
    Action, Status = ReportAction, ProblemReport.Status
    PUBLIC_ACTIONS = (
        Action.REPORT,
        Action.DISPATCH,
        Action.REROUTE,
        Action.ACCEPT,
        Action.HANDLE,
        Action.OUTCOME,
        Action.FEEDBACK,
        Action.CLOSE,
        Action.MERGE,
        Action.RATE,
    )

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="history", verbose_name="线索")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="相关队伍"
    )
    note = models.CharField("备注（内部）", max_length=500, blank=True)
    internal = models.BooleanField("仅内部可见", default=False)

    class Meta(StatusChange.Meta):
        verbose_name = "线索流转记录"
        verbose_name_plural = "线索流转记录"
        indexes = [models.Index(fields=["report", "created_at"], name="reportevent_report_idx")]


class ReportFollower(models.Model):
    """Someone who asked to hear how a report ends (a reporter of a duplicate, a neighbour)."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="followers", verbose_name="线索")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="关注人"
    )
    created_at = models.DateTimeField("关注时间", auto_now_add=True)

    class Meta:
        verbose_name = "线索关注"
        verbose_name_plural = "线索关注"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="report_follow_once")]

    def __str__(self):
        return f"{self.user} → #{self.report_id}"


class ReportRequestAction(models.TextChoices):
    REQUEST = "request", "申请"
    APPROVE = "approve", "批准"
    REJECT = "reject", "驳回"


class ReportRequest(models.Model):
    """A team asks the dispatcher to take a mis-routed report back, or for more time."""

    class Kind(models.TextChoices):
        RETURN = "return", "退回"
        EXTENSION = "extension", "延期"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    workflow = Workflow(
        actions=ReportRequestAction,
        transitions={
            ReportRequestAction.APPROVE: ({Status.PENDING}, Status.APPROVED),
            ReportRequestAction.REJECT: ({Status.PENDING}, Status.REJECTED),
        },
        history="enforcement.ReportRequestHistory",
    )

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="requests", verbose_name="线索")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="申请队伍")
    reason = models.CharField("理由", max_length=500)
    extra_hours = models.PositiveSmallIntegerField("延长（小时）", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="申请人"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "退回/延期申请"
        verbose_name_plural = "退回/延期申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="pending"), name="report_one_pending_request"
            ),
            models.CheckConstraint(
                condition=~Q(kind="extension") | Q(extra_hours__gt=0), name="request_extension_has_hours"
            ),
        ]

    def __str__(self):
        return f"#{self.report_id} {self.get_kind_display()} · {self.get_status_display()}"


class ReportRequestHistory(StatusChange):
    """The life of a request: filed by the team, approved or rejected by the dispatcher."""

    subject_field = "request"
    Action, Status = ReportRequestAction, ReportRequest.Status

    request = models.ForeignKey(
        ReportRequest, on_delete=models.CASCADE, related_name="history", verbose_name="退回/延期申请"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "申请审批记录"
        verbose_name_plural = "申请审批记录"


class SensorEpisode(models.Model):
    """A stretch of time a sensor's reading is over its threshold: it opens exactly one report.

    It ends when readings have stayed under the clear level (threshold × hysteresis) for the
    device's quiet period; the next excursion is a new episode.
    """

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+", verbose_name="传感器")
    metric = models.CharField("指标", max_length=40)
    threshold = models.FloatField("阈值")
    report = models.ForeignKey(
        ProblemReport, on_delete=models.PROTECT, related_name="sensor_episodes", verbose_name="线索"
    )
    opened_at = models.DateTimeField("开始时间")
    peak_value = models.FloatField("峰值")
    last_value = models.FloatField("最新值")
    last_reading_at = models.DateTimeField("最新读数时间")
    below_since = models.DateTimeField("回落开始时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    readings = models.PositiveIntegerField("读数次数", default=1)

    class Meta:
        verbose_name = "传感器超标过程"
        verbose_name_plural = "传感器超标过程"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "metric"], condition=Q(closed_at__isnull=True), name="sensor_one_open_episode"
            )
        ]

    def __str__(self):
        return f"{self.device.code} {self.metric} {self.opened_at:%Y-%m-%d %H:%M}"
