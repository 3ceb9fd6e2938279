"""到家查: readings from the kiosks, abnormal episodes, and the log of who read whose vitals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from health.models.consultations import Consultation


class VitalType(models.TextChoices):
    BLOOD_PRESSURE = "blood_pressure", "血压"
    HEART_RATE = "heart_rate", "心率"
    TEMPERATURE = "temperature", "体温"
    GLUCOSE = "glucose", "血糖"
    ECG = "ecg", "心电"


class Interpretation(models.TextChoices):
    # HL7 v3 ObservationInterpretation codes, as FHIR uses them.
    HIGH = "H", "偏高"
    LOW = "L", "偏低"
    NORMAL = "N", "正常"


class KioskSession(models.Model):
    """A resident standing at a kiosk: opened by scanning its QR code; the kiosk gets the token as a command."""

    class Status(models.TextChoices):
        OPEN = "open", "测量中"
        CLOSED = "closed", "已结束"

    device = models.ForeignKey(
        "devices.Device", on_delete=models.CASCADE, related_name="health_sessions", verbose_name="健康自助机"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kiosk_sessions", verbose_name="居民"
    )
    token = models.CharField("会话令牌", max_length=64, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    expires_at = models.DateTimeField("过期时间")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "自助测量会话"
        verbose_name_plural = "自助测量会话"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One resident at a kiosk at a time: a new scan closes the previous session first.
            models.UniqueConstraint(fields=["device"], condition=Q(status="open"), name="health_kiosk_one_open"),
        ]

    def __str__(self):
        return f"{self.device_id} · {self.get_status_display()}"


class VitalReading(models.Model):
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vital_readings", verbose_name="居民"
    )
    type = models.CharField("类型", max_length=20, choices=VitalType.choices)
    systolic = models.PositiveSmallIntegerField("收缩压（mmHg）", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("舒张压（mmHg）", null=True, blank=True)
    value = models.DecimalField(
        "数值", max_digits=5, decimal_places=1, null=True, blank=True, help_text="体温 °C、心率 次/分、血糖 mmol/L"
    )
    glucose_context = models.CharField(
        "血糖类型", max_length=10, blank=True, choices=[("fasting", "空腹"), ("random", "随机")]
    )
    ecg_rhythm = models.CharField("心律", max_length=30, blank=True)
    ecg_summary = models.CharField("心电结论", max_length=200, blank=True)
    interpretation = models.CharField("判读", max_length=1, choices=Interpretation.choices)
    measured_at = models.DateTimeField("测量时间")
    device = models.ForeignKey(
        "devices.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="health_readings",
        verbose_name="设备",
    )
    session = models.ForeignKey(
        KioskSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="readings", verbose_name="会话"
    )
    created_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "体征数据"
        verbose_name_plural = "体征数据"
        ordering = ["-measured_at", "-id"]
        indexes = [models.Index(fields=["resident", "type", "-measured_at"], name="health_vitals_resident_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(type="blood_pressure") | Q(systolic__isnull=False, diastolic__isnull=False),
                name="health_vitals_bp_has_both",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} · {self.measured_at:%Y-%m-%d %H:%M}"


class AbnormalEpisode(models.Model):
    """A run of abnormal readings of one kind. The resident and family doctor hear once per episode."""

    class Kind(models.TextChoices):
        BLOOD_PRESSURE = "blood_pressure", "血压偏高"
        GLUCOSE = "glucose", "血糖偏高"

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="abnormal_episodes", verbose_name="居民"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    first_reading = models.ForeignKey(
        VitalReading, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="首次异常读数"
    )
    abnormal_readings = models.PositiveIntegerField("异常次数", default=1)
    started_at = models.DateTimeField("开始")
    last_abnormal_at = models.DateTimeField("最近异常")
    ended_at = models.DateTimeField("结束", null=True, blank=True)
    notified_at = models.DateTimeField("推送时间", null=True, blank=True)

    class Meta:
        verbose_name = "异常事件"
        verbose_name_plural = "异常事件"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "kind"], condition=Q(ended_at__isnull=True), name="health_episode_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_kind_display()}"


class VitalAccessLog(models.Model):
    """Every read of a resident's vitals by someone else; the resident can list them."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vital_access_logs", verbose_name="居民"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="查看人"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="问诊"
    )
    purpose = models.CharField("用途", max_length=50)
    records = models.PositiveIntegerField("查看条数")
    accessed_at = models.DateTimeField("查看时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "体征查阅记录"
        verbose_name_plural = "体征查阅记录"
        ordering = ["-accessed_at", "-id"]

    def __str__(self):
        return f"{self.viewer} → {self.resident}"
