"""到家办: medical-insurance applications residents file and community staff review."""

from django.conf import settings
from django.db import models

from linli.lib.models import TimestampedModel
from linli.regions.models import Community
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class InsuranceApplication(TimestampedModel):
    class Type(models.TextChoices):
        CHRONIC_DISEASE = "chronic_disease", "慢特病待遇认定"
        OUT_OF_AREA_CARE = "out_of_area_care", "异地就医备案"
        REIMBURSEMENT = "reimbursement", "零星报销"
        CARD_REPLACEMENT = "card_replacement", "社保卡补换"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        NEEDS_INFO = "needs_info", "待补充材料"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交申请"
        APPROVE = "approve", "审核通过"
        REJECT = "reject", "驳回"
        REQUEST_INFO = "request_info", "要求补充材料"
        RESUBMIT = "resubmit", "补充材料"

    # Every change of `status` goes through `linli.workflow.transition` (history: InsuranceApplicationHistory).
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.APPROVE: ({Status.SUBMITTED}, Status.APPROVED),
            Action.REJECT: ({Status.SUBMITTED, Status.NEEDS_INFO}, Status.REJECTED),
            Action.REQUEST_INFO: ({Status.SUBMITTED}, Status.NEEDS_INFO),
            Action.RESUBMIT: ({Status.NEEDS_INFO}, Status.SUBMITTED),
        },
        history="health.InsuranceApplicationHistory",
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="insurance_applications", verbose_name="申请人"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="insurance_applications", verbose_name="社区"
    )
    type = models.CharField("事项", max_length=20, choices=Type.choices)
    details = models.TextField("情况说明", max_length=2000)
    attachments = models.ManyToManyField(
        "uploads.Upload", blank=True, related_name="health_insurance_applications", verbose_name="材料"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "医保事项申请"
        verbose_name_plural = "医保事项申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="health_insurance_queue_idx")]

    def __str__(self):
        return f"{self.get_type_display()} #{self.pk} {self.get_status_display()}"


class InsuranceApplicationHistory(StatusChange):
    """History of an application: filed, reviewed (with the reviewer's opinion), resubmitted."""

    Action, Status = InsuranceApplication.Action, InsuranceApplication.Status
    subject_field = "application"

    application = models.ForeignKey(
        InsuranceApplication, on_delete=models.CASCADE, related_name="history", verbose_name="申请"
    )
    note = models.CharField("意见", max_length=500, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = "申请记录"
        verbose_name_plural = "申请记录"
