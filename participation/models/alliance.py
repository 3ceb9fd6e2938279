"""党建联盟 (邻礼汇): an alliance of a street or a community, its member units (共建单位), and the
three lists — the units' resources (资源清单), the community's needs (需求清单) and the projects
(项目清单) staff build by matching a need with resources."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Street
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Alliance(TimestampedModel):
    """A party-building alliance of one street (all its communities) or of one community."""

    name = models.CharField("联盟名称", max_length=60)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="街道"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "党建联盟"
        verbose_name_plural = "党建联盟"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=False, community__isnull=True)
                | Q(street__isnull=True, community__isnull=False),
                name="alliance_street_or_community",
            ),
        ]

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    COMPANY = "company", "企业"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    MARKET = "market", "市场"
    AGENCY = "agency", "机关事业单位"
    SOCIAL = "social", "社会组织"
    OTHER = "other", "其他"


class AllianceUnit(TimestampedModel):
    """共建单位: a company, school, hospital, market… in an alliance. Its contacts hold the role
    `alliance_member` scoped to it (Membership.scope) and manage its resources."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="units", verbose_name="联盟")
    name = models.CharField("单位名称", max_length=80)
    kind = models.CharField("单位类型", max_length=10, choices=UnitKind.choices)
    address = models.CharField("地址", max_length=120, blank=True)
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    joined_on = models.DateField("加入日期")
    is_active = models.BooleanField("在盟", default=True)

    class Meta:
        verbose_name = "共建单位"
        verbose_name_plural = "共建单位"
        ordering = ["alliance_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["alliance", "name"], name="alliance_unit_unique_name")]

    def __str__(self):
        return self.name


class ResourceKind(models.TextChoices):
    VENUE = "venue", "场地"
    VOLUNTEERS = "volunteers", "志愿者"
    GOODS = "goods", "物资"
    PROFESSIONAL = "professional", "专业服务"


class Resource(TimestampedModel):
    """资源清单: what a unit offers, with when it is available. Residents see published ones."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已下架"

    unit = models.ForeignKey(AllianceUnit, on_delete=models.PROTECT, related_name="resources", verbose_name="共建单位")
    kind = models.CharField("资源类型", max_length=12, choices=ResourceKind.choices)
    title = models.CharField("资源名称", max_length=80)
    description = models.TextField("说明", blank=True)
    availability = models.CharField("可用时间", max_length=100, blank=True, help_text="如 每周六上午、寒暑假")
    available_from = models.DateField("起始日期", null=True, blank=True)
    available_until = models.DateField("截止日期", null=True, blank=True)
    quantity = models.CharField("数量/规模", max_length=50, blank=True, help_text="如 可容纳 80 人、志愿者 10 名")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True)

    class Meta:
        verbose_name = "资源"
        verbose_name_plural = "资源清单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="resource_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class Need(TimestampedModel):
    """需求清单: what a community asks the alliance for."""

    class Status(models.TextChoices):
        OPEN = "open", "待对接"
        MATCHED = "matched", "已对接"
        CLOSED = "closed", "已关闭"

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="needs", verbose_name="联盟")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    kind = models.CharField("需要的资源", max_length=12, choices=ResourceKind.choices, blank=True)
    title = models.CharField("需求", max_length=80)
    description = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "需求"
        verbose_name_plural = "需求清单"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Project(TimestampedModel):
    """项目清单: a need matched with one or more resources, carried out and reported on."""

    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        IN_PROGRESS = "in_progress", "进行中"
        COMPLETED = "completed", "已完成"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        CREATE = "create", "立项"
        START = "start", "启动"
        COMPLETE = "complete", "完成"
        CANCEL = "cancel", "取消"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.START: ({Status.PLANNED}, Status.IN_PROGRESS),
            Action.COMPLETE: ({Status.IN_PROGRESS}, Status.COMPLETED),
            Action.CANCEL: ({Status.PLANNED, Status.IN_PROGRESS}, Status.CANCELLED),
        },
        history="participation.ProjectHistory",
    )

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="projects", verbose_name="联盟")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name="对接需求"
    )
    resources = models.ManyToManyField(Resource, related_name="projects", verbose_name="使用资源")
    title = models.CharField("项目名称", max_length=80)
    plan = models.TextField("实施计划", blank=True)
    starts_on = models.DateField("计划开始")
    ends_on = models.DateField("计划结束")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    outcome = models.TextField("成效报告", blank=True)
    beneficiaries = models.PositiveIntegerField("受益人次", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "共建项目"
        verbose_name_plural = "项目清单"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_dates_ordered"),
        ]

    def __str__(self):
        return self.title


class ProjectHistory(StatusChange):
    """One step of a project: created, started, completed (with its outcome) or cancelled."""

    Action, Status = Project.Action, Project.Status
    subject_field = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="history", verbose_name="项目")

    class Meta(StatusChange.Meta):
        verbose_name = "项目记录"
        verbose_name_plural = "项目记录"
