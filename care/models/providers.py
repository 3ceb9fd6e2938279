from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community


class ProviderPosition(models.TextChoices):
    """The `position` of a care membership (`Membership(role=CARE_WORKER, scope=<Provider>)`)."""

    MANAGER = "manager", "机构管理员"
    WORKER = "worker", "助老服务员"


class Provider(TimestampedModel):
    """养老服务机构: a home-care centre serving one or more communities."""

    class Kind(models.TextChoices):
        HOME_CARE = "home_care", "居家养老服务"
        CHILDCARE = "childcare", "托育服务"

    name = models.CharField("名称", max_length=60, unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.HOME_CARE)
    communities = models.ManyToManyField(Community, related_name="care_providers", verbose_name="服务社区")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "养老服务机构"
        verbose_name_plural = "养老服务机构"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ServiceKind(models.TextChoices):
    MEAL = "meal", "助餐"
    CLEANING = "cleaning", "助洁"
    BATHING = "bathing", "助浴"
    MEDICAL = "medical", "助医"
    COMPANION = "companion", "陪护"
    VISIT = "visit", "上门探访"


class CareService(TimestampedModel):
    """One line of a community's home-care catalogue, delivered by a provider serving it."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services", verbose_name="服务机构")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="care_services", verbose_name="社区"
    )
    kind = models.CharField("服务类别", max_length=12, choices=ServiceKind.choices)
    name = models.CharField("服务名称", max_length=60)
    description = models.TextField("服务内容", max_length=2000, blank=True)
    price_fen = models.PositiveIntegerField("价格（分）")
    duration_minutes = models.PositiveSmallIntegerField("服务时长（分钟）")
    subsidy_eligible = models.BooleanField("可用养老补贴", default=True, help_text="勾选后可先用养老服务补贴抵扣")
    is_active = models.BooleanField("上架", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "养老服务项目"
        verbose_name_plural = "养老服务项目"
        ordering = ["community_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "provider", "name"], name="careservice_unique_name"),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="careservice_price_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="careservice_duration_in_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"
