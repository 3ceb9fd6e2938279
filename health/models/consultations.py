"""到家看: online consultations, their messages and history, and the prescriptions doctors write."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from health.models.clinics import Department, Drug
from linli.lib.models import TimestampedModel
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Consultation(TimestampedModel):
    class Status(models.TextChoices):
        WAITING = "waiting", "待接诊"
        IN_PROGRESS = "in_progress", "问诊中"
        CLOSED = "closed", "已结束"

    class Action(models.TextChoices):
        CREATE = "create", "发起问诊"
        ACCEPT = "accept", "接诊"
        CLOSE = "close", "结束问诊"

    # Every change of `status` goes through `linli.workflow.transition` (history: ConsultationHistory).
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ACCEPT: ({Status.WAITING}, Status.IN_PROGRESS),
            Action.CLOSE: ({Status.WAITING, Status.IN_PROGRESS}, Status.CLOSED),
        },
        history="health.ConsultationHistory",
    )

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations", verbose_name="居民"
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办人",
        help_text="亲情账号代办时的家属；空表示本人办理",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="consultations", verbose_name="科室"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="doctor_consultations",
        verbose_name="接诊医生",
    )
    symptoms = models.TextField("症状描述", max_length=2000)
    photos = models.ManyToManyField(
        "uploads.Upload", blank=True, related_name="health_consultations", verbose_name="图片"
    )
    share_vitals = models.BooleanField("向医生开放体征数据", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True)
    accepted_at = models.DateTimeField("接诊时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)

    class Meta:
        verbose_name = "问诊"
        verbose_name_plural = "问诊"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "status"], name="health_consult_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="health_consult_rating_1_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="in_progress") | Q(doctor__isnull=False),
                name="health_consult_in_progress_has_doctor",
            ),
        ]

    def __str__(self):
        return f"问诊 #{self.pk} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.IN_PROGRESS)


class ConsultationHistory(StatusChange):
    """History of a consultation: who moved it, when, from which status to which."""

    Action, Status = Consultation.Action, Consultation.Status
    subject_field = "consultation"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="history", verbose_name="问诊"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "问诊记录"
        verbose_name_plural = "问诊记录"


class ConsultationMessage(models.Model):
    class SenderRole(models.TextChoices):
        RESIDENT = "resident", "居民"
        DOCTOR = "doctor", "医生"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages", verbose_name="问诊"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发送人"
    )
    sender_role = models.CharField("身份", max_length=10, choices=SenderRole.choices)
    body = models.TextField("内容", max_length=2000)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "问诊消息"
        verbose_name_plural = "问诊消息"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["consultation", "created_at"], name="health_consult_msg_idx")]

    def __str__(self):
        return f"{self.get_sender_role_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class Prescription(TimestampedModel):
    class Status(models.TextChoices):
        ISSUED = "issued", "待取药"
        DISPENSING = "dispensing", "取药中"
        DISPENSED = "dispensed", "已取药"
        EXPIRED = "expired", "已过期"

    class Action(models.TextChoices):
        ISSUE = "issue", "开具处方"
        START_DISPENSING = "start_dispensing", "取药"
        RELEASE = "release", "释放处方"
        DISPENSE = "dispense", "完成取药"
        EXPIRE = "expire", "过期"

    # Every change of `status` goes through `linli.workflow.transition` (history: PrescriptionHistory).
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.START_DISPENSING: ({Status.ISSUED}, Status.DISPENSING),
            # no drugs left the machine (unpaid, or it failed and everything was refunded)
            Action.RELEASE: ({Status.DISPENSING}, Status.ISSUED),
            Action.DISPENSE: ({Status.DISPENSING}, Status.DISPENSED),
            Action.EXPIRE: ({Status.ISSUED}, Status.EXPIRED),
        },
        history="health.PrescriptionHistory",
    )

    consultation = models.OneToOneField(
        Consultation, on_delete=models.PROTECT, related_name="prescription", verbose_name="问诊"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescriptions", verbose_name="居民"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_prescriptions", verbose_name="医生"
    )
    diagnosis = models.CharField("诊断", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ISSUED, db_index=True)
    valid_until = models.DateTimeField("有效期至", db_index=True)
    total_fen = models.PositiveIntegerField("合计（分）")
    covered_fen = models.PositiveIntegerField("医保目录内（分）", help_text="甲/乙类药品，可由医保个账支付")
    dispensed_at = models.DateTimeField("取药时间", null=True, blank=True)

    class Meta:
        verbose_name = "处方"
        verbose_name_plural = "处方"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(covered_fen__lte=F("total_fen")), name="health_rx_covered_le_total"),
        ]

    def __str__(self):
        return f"处方 #{self.pk} {self.get_status_display()}"

    @property
    def self_pay_fen(self) -> int:
        return self.total_fen - self.covered_fen

    def is_expired(self, now=None) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.ISSUED and (now or timezone.now()) >= self.valid_until
        )


class PrescriptionHistory(StatusChange):
    """History of a prescription: issued, taken to a vending machine, dispensed, freed again or expired."""

    Action, Status = Prescription.Action, Prescription.Status
    subject_field = "prescription"

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="history", verbose_name="处方"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "处方记录"
        verbose_name_plural = "处方记录"


class PrescriptionItem(models.Model):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items", verbose_name="处方")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="+", verbose_name="药品")
    quantity = models.PositiveSmallIntegerField("数量")
    dosage = models.CharField("用法用量", max_length=100)
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    coverage = models.CharField("医保类别", max_length=1, choices=Drug.Coverage.choices)

    class Meta:
        verbose_name = "处方明细"
        verbose_name_plural = "处方明细"
        ordering = ["prescription_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="health_rx_item_quantity_positive"),
            models.UniqueConstraint(fields=["prescription", "drug"], name="health_rx_item_unique_drug"),
        ]

    def __str__(self):
        return f"{self.drug.name} × {self.quantity}"

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity

    @property
    def is_covered(self) -> bool:
        return self.coverage in (Drug.Coverage.A, Drug.Coverage.B)
