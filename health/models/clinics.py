"""Where care happens and what it uses: clinics, departments, the drug catalogue, residents' health profiles.

A doctor is `Membership(role=Role.DOCTOR, scope=<Clinic or Department>)`: scoped to a clinic they
serve all of its departments, scoped to a department only that one.
"""

from django.conf import settings
from django.db import models

from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Street


class Clinic(TimestampedModel):
    class Kind(models.TextChoices):
        STATION = "station", "社区卫生服务站"
        CLINIC = "clinic", "智慧诊室"
        HOSPITAL = "hospital", "医院"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.CLINIC)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="clinics", verbose_name="社区"
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="clinics", verbose_name="街道/乡镇"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "医疗机构"
        verbose_name_plural = "医疗机构"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Department(TimestampedModel):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="departments", verbose_name="医疗机构")
    name = models.CharField("科室", max_length=50)
    description = models.CharField("简介", max_length=200, blank=True)
    is_active = models.BooleanField("接诊中", default=True)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["clinic_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="health_department_unique_name")]

    def __str__(self):
        return f"{self.clinic.name} · {self.name}"


class Drug(TimestampedModel):
    """One item of the catalogue, priced per package (盒/瓶)."""

    class Coverage(models.TextChoices):
        # 基本医疗保险药品目录: 甲类 fully and 乙类 partly reimbursable; 丙类 is self-paid.
        A = "A", "甲类"
        B = "B", "乙类"
        C = "C", "丙类（自费）"

    name = models.CharField("药品名称", max_length=100)
    specification = models.CharField("规格", max_length=100, help_text="如 0.25g×24粒")
    manufacturer = models.CharField("生产企业", max_length=100, blank=True)
    unit = models.CharField("包装单位", max_length=10, default="盒")
    coverage = models.CharField("医保类别", max_length=1, choices=Coverage.choices)
    price_fen = models.PositiveIntegerField("单价（分）")
    is_prescription = models.BooleanField("处方药", default=True)
    is_active = models.BooleanField("在售", default=True)

    class Meta:
        verbose_name = "药品"
        verbose_name_plural = "药品目录"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "specification"], name="health_drug_unique_name_spec"),
            models.CheckConstraint(condition=models.Q(price_fen__gt=0), name="health_drug_price_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.specification}）"

    @property
    def is_covered(self) -> bool:
        """Paid from the medical-insurance personal account (甲/乙类); 丙类 is paid in cash."""
        return self.coverage in (self.Coverage.A, self.Coverage.B)


class Condition(models.TextChoices):
    HYPERTENSION = "hypertension", "高血压"
    DIABETES = "diabetes", "糖尿病"
    HEART_DISEASE = "heart_disease", "心脏病"
    COPD = "copd", "慢阻肺"
    PREGNANCY = "pregnancy", "孕产期"


class HealthProfile(TimestampedModel):
    """A resident's signed family doctor (家庭医生签约) and the chronic conditions on file."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_profile", verbose_name="居民"
    )
    family_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_patients",
        verbose_name="家庭医生",
    )

    class Meta:
        verbose_name = "健康档案"
        verbose_name_plural = "健康档案"
        ordering = ["id"]

    def __str__(self):
        return f"{self.user} 的健康档案"


class HealthCondition(models.Model):
    profile = models.ForeignKey(HealthProfile, on_delete=models.CASCADE, related_name="conditions", verbose_name="档案")
    condition = models.CharField("慢病", max_length=20, choices=Condition.choices)
    noted_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "慢病登记"
        verbose_name_plural = "慢病登记"
        ordering = ["profile_id", "condition"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "condition"], name="health_condition_unique"),
        ]

    def __str__(self):
        return self.get_condition_display()
