"""The catalogue (domains, matters, report categories, 监管一件事 scenarios), the teams and the
township empowerment lists (赋权清单) that decide who handles what where."""

from datetime import timedelta

from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Street


class Team(TimestampedModel):
    """A district department of the "1+8", a township's comprehensive team, or the command centre.

    A township may have several township teams (squads, 中队), each with its matters and area.
    Officers and grid workers belong to a team through the platform `Membership(role=OFFICER or
    GRID_WORKER, scope=<Team>, street=<township or None>)`; the leader's membership has
    position "leader". Officers of the command centre are the dispatchers.
    """

    class Kind(models.TextChoices):
        DISTRICT_DEPARTMENT = "district_department", "区级部门"
        TOWNSHIP_TEAM = "township_team", "乡镇（街道）综合执法队"
        COMMAND_CENTER = "command_center", "区指挥中心"

    name = models.CharField("名称", max_length=60, unique=True)
    code = models.SlugField("编码", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_teams",
        verbose_name="乡镇（街道）",
        help_text="乡镇综合执法队必填",
    )
    lat = models.DecimalField("驻地纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("驻地经度", max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField("值班电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)
    # A township may have several squads (中队): each takes the matters listed here (none listed: every
    # matter the township is empowered for) inside its area (a squad `Boundary`; none: the township).
    matters = models.ManyToManyField(
        "enforcement.Matter",
        blank=True,
        related_name="squads",
        verbose_name="负责事项",
        help_text="乡镇中队：不选则负责本乡镇被赋权的全部事项",
    )
    accept_minutes = models.PositiveSmallIntegerField(
        "接单时限（分钟）", null=True, blank=True, help_text="值班派单须在此时间内接单，空则用系统默认值"
    )

    class Meta:
        verbose_name = "执法队伍"
        verbose_name_plural = "执法队伍"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="township_team") | Q(street__isnull=False), name="team_township_has_street"
            ),
        ]

    def __str__(self):
        return self.name


class Domain(models.Model):
    """执法领域 (消防救援, 市场监管, 水利 …) and the district department that handles it by default."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    department = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="domains",
        limit_choices_to={"kind": Team.Kind.DISTRICT_DEPARTMENT},
        verbose_name="主管区级部门",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Matter(models.Model):
    """执法事项: one kind of violation with its legal basis and how long handling a report may take."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=120)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="matters", verbose_name="执法领域")
    legal_basis = models.TextField("法律依据", blank=True)
    deadline_hours = models.PositiveSmallIntegerField("处置时限（小时）", default=72)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["domain__sort_order", "code"]
        constraints = [models.CheckConstraint(condition=Q(deadline_hours__gt=0), name="matter_deadline_positive")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def deadline(self) -> timedelta:
        return timedelta(hours=self.deadline_hours)


class Category(models.Model):
    """What a reporter picks (违规捕捞, 水体污染 …): the Open311 service, mapped to the matter it concerns."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30)
    description = models.CharField("说明", max_length=200, blank=True)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="categories", verbose_name="对应事项")
    is_public = models.BooleanField("对居民和 Open311 开放", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "问题分类"
        verbose_name_plural = "问题分类"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Scenario(models.Model):
    """监管一件事: a named bundle of matters for one kind of place (乡村旅游景区监管一件事)."""

    name = models.CharField("名称", max_length=60, unique=True)
    place_kind = models.CharField("场所类型", max_length=30)
    description = models.TextField("说明", blank=True)
    matters = models.ManyToManyField(Matter, related_name="scenarios", verbose_name="涉及事项")
    lead_team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_scenarios",
        verbose_name="牵头部门",
        help_text="按此场景计划联合检查时，它参加则由它牵头",
    )

    class Meta:
        verbose_name = "监管一件事"
        verbose_name_plural = "监管一件事"
        ordering = ["id"]

    def __str__(self):
        return self.name


class Empowerment(models.Model):
    """赋权清单: since `since` (until `until`, exclusive) the township's team exercises `matter` there."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="empowerments", verbose_name="乡镇（街道）"
    )
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="empowerments", verbose_name="事项")
    since = models.DateField("赋权日期")
    until = models.DateField("收回日期", null=True, blank=True)
    document = models.CharField("赋权文件", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "赋权清单"
        verbose_name_plural = "赋权清单"
        ordering = ["street_id", "matter__code", "since"]
        constraints = [
            models.UniqueConstraint(fields=["street", "matter", "since"], name="empowerment_unique_since"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("since")), name="empowerment_until_after_since"
            ),
        ]
        indexes = [models.Index(fields=["street", "matter", "since"], name="empowerment_lookup_idx")]

    def __str__(self):
        return f"{self.street} · {self.matter}（{self.since} 起）"
