"""综合查一次: one visit to one target by several teams, the findings they record, and the
whitelist (免查/非联查对象) of targets routine joint inspections leave alone."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from enforcement.models.catalogue import Matter, Team
from linli.lib.models import TimestampedModel
from linli.regions.models import Street
from linli.uploads.models import Attachment
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Target(TimestampedModel):
    """A place or business that gets inspected (a street shop, a scenic spot, a farm stay)."""

    class Kind(models.TextChoices):
        SHOP = "shop", "沿街商铺"
        RESTAURANT = "restaurant", "餐饮单位"
        SCENIC_SPOT = "scenic_spot", "旅游景区"
        FARM_STAY = "farm_stay", "农家乐/民宿"
        FACTORY = "factory", "生产企业"
        CONSTRUCTION_SITE = "construction_site", "建筑工地"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.SHOP)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    address = models.CharField("地址", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    whitelisted = models.BooleanField("免查对象（白名单）", default=False)
    whitelist_reason = models.CharField("免查理由", max_length=200, blank=True)
    whitelist_until = models.DateField("免查截止", null=True, blank=True)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"
        ordering = ["street_id", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="target_unique_name_in_street")]

    def __str__(self):
        return self.name

    def is_whitelisted_on(self, day) -> bool:
        return self.whitelisted and (self.whitelist_until is None or day <= self.whitelist_until)


class InspectionAction(models.TextChoices):
    PLAN = "plan", "计划检查"
    START = "start", "开始检查"
    COMPLETE = "complete", "完成检查"
    CANCEL = "cancel", "取消检查"


class Inspection(TimestampedModel):
    """One joint visit. It replaces one separate inspection per participating team.

    The first finding starts it; the lead team completes it, or cancels it before it started."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "例行检查"
        TARGETED = "targeted", "投诉/线索触发"

    class Status(models.TextChoices):
        PLANNED = "planned", "已计划"
        IN_PROGRESS = "in_progress", "检查中"
        COMPLETED = "completed", "已完成"
        CANCELLED = "cancelled", "已取消"

    workflow = Workflow(
        actions=InspectionAction,
        transitions={
            InspectionAction.START: ({Status.PLANNED}, Status.IN_PROGRESS),
            InspectionAction.COMPLETE: ({Status.PLANNED, Status.IN_PROGRESS}, Status.COMPLETED),
            InspectionAction.CANCEL: ({Status.PLANNED}, Status.CANCELLED),
        },
        history="enforcement.InspectionHistory",
    )

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="inspections", verbose_name="检查对象")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    scenario = models.ForeignKey(
        "enforcement.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="监管一件事",
    )
    matters = models.ManyToManyField(Matter, related_name="inspections", verbose_name="检查事项")
    teams = models.ManyToManyField(Team, related_name="inspections", verbose_name="参与队伍")
    lead_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="牵头队伍")
    planned_at = models.DateTimeField("计划时间", db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    summary = models.TextField("检查小结", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="计划人"
    )

    class Meta:
        verbose_name = "综合查一次"
        verbose_name_plural = "综合查一次"
        ordering = ["-planned_at", "-id"]

    def __str__(self):
        return f"{self.target} · {self.planned_at:%Y-%m-%d}"


class InspectionHistory(StatusChange):
    """One step of a joint inspection: planned, started (its first finding), completed or cancelled."""

    subject_field = "inspection"
    Action, Status = InspectionAction, Inspection.Status

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="history", verbose_name="综合查一次"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "检查流转记录"
        verbose_name_plural = "检查流转记录"


class Finding(models.Model):
    """A problem an officer found during a joint inspection; it may open a report or a case."""

    class Severity(models.TextChoices):
        MINOR = "minor", "轻微"
        MODERATE = "moderate", "一般"
        SERIOUS = "serious", "严重"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name="检查")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+", verbose_name="事项")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name="记录队伍")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    description = models.TextField("问题描述", max_length=2000)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.MINOR)
    photos = models.ManyToManyField(
        "uploads.Upload", through="FindingPhoto", blank=True, related_name="+", verbose_name="照片"
    )
    report = models.OneToOneField(
        "enforcement.ProblemReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name="转线索",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "检查发现问题"
        verbose_name_plural = "检查发现问题"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="finding_has_description"),
        ]

    def __str__(self):
        return f"{self.inspection} · {self.matter.name}"


class FindingPhoto(Attachment):
    """A photo an officer took of a finding, in its place."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="photo_links", verbose_name="检查发现问题"
    )

    class Meta(Attachment.Meta):
        verbose_name = "检查发现问题照片"
        verbose_name_plural = "检查发现问题照片"
        constraints = [models.UniqueConstraint(fields=["finding", "upload"], name="finding_photo_once")]
