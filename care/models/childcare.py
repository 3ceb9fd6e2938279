"""托育点: a `Provider` of kind `childcare` runs classes by age band (under 3); parents apply for their
children (dependants on their household); staff review; enrolment within capacity with a waitlist;
a monthly fee bill per enrolled child, paid through linli.payments.

Capacity is decided by the database: `ChildcareClass.enrolled_count` moves by a conditional UPDATE
(`enrolled_count < capacity`) under the class row's lock, and a check constraint keeps it in bounds.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from care.models.providers import Provider
from linli.lib.models import TimestampedModel
from linli.payments.models import PaymentIntent
from linli.regions.models import Community, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class ChildcareClass(TimestampedModel):
    """托育班: children of an age band (in months) at a 托育点, with a capacity and a monthly fee."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="childcare_classes",
        limit_choices_to={"kind": Provider.Kind.CHILDCARE},
        verbose_name="托育点",
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    name = models.CharField("班级名称", max_length=40)
    min_age_months = models.PositiveSmallIntegerField("最小月龄", help_text="入托开始日的月龄（含）")
    max_age_months = models.PositiveSmallIntegerField("最大月龄", help_text="入托开始日的月龄（不含），不超过 36")
    capacity = models.PositiveSmallIntegerField("学位数")
    enrolled_count = models.PositiveSmallIntegerField("在托人数", default=0, editable=False)
    monthly_fee_fen = models.PositiveIntegerField("月保育费（分）")
    is_active = models.BooleanField("招生中", default=True)

    class Meta:
        verbose_name = "托育班级"
        verbose_name_plural = "托育班级"
        ordering = ["provider_id", "min_age_months", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="childcareclass_unique_name"),
            models.CheckConstraint(
                condition=Q(min_age_months__lt=F("max_age_months"), max_age_months__lte=36),
                name="childcareclass_band_under_3",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="childcareclass_capacity_positive"),
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=F("capacity")), name="childcareclass_enrolled_within_capacity"
            ),
            models.CheckConstraint(condition=Q(monthly_fee_fen__gt=0), name="childcareclass_fee_positive"),
        ]

    def __str__(self):
        return f"{self.provider} · {self.name}"


class Child(TimestampedModel):
    """A child under 3 in a parent's household. Personal data: the parent and the nursery/community
    staff only."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_children", verbose_name="家长"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name="家庭住址")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    name = models.CharField("姓名", max_length=30)
    birth_date = models.DateField("出生日期")

    class Meta:
        verbose_name = "幼儿"
        verbose_name_plural = "幼儿"
        ordering = ["parent_id", "birth_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name", "birth_date"], name="child_unique_per_parent"),
        ]

    def __str__(self):
        return self.name


class Enrolment(TimestampedModel):
    """A parent's application of a child to a class: applied → enrolled | waitlisted | rejected;
    waitlisted → enrolled when a place frees; enrolled → withdrawn."""

    class Status(models.TextChoices):
        APPLIED = "applied", "待审核"
        WAITLISTED = "waitlisted", "候补中"
        ENROLLED = "enrolled", "在托"
        REJECTED = "rejected", "未通过"
        CANCELLED = "cancelled", "已撤回"
        WITHDRAWN = "withdrawn", "已退托"

    class Action(models.TextChoices):
        APPLY = "apply", "申请"
        ENROL = "enrol", "录取"
        WAITLIST = "waitlist", "转入候补"
        PROMOTE = "promote", "候补转正"
        REJECT = "reject", "不予录取"
        CANCEL = "cancel", "撤回申请"
        WITHDRAW = "withdraw", "退托"

    ACTIVE = (Status.APPLIED, Status.WAITLISTED, Status.ENROLLED)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ENROL: ({Status.APPLIED}, Status.ENROLLED),
            Action.WAITLIST: ({Status.APPLIED}, Status.WAITLISTED),
            Action.PROMOTE: ({Status.WAITLISTED}, Status.ENROLLED),
            Action.REJECT: ({Status.APPLIED, Status.WAITLISTED}, Status.REJECTED),
            Action.CANCEL: ({Status.APPLIED, Status.WAITLISTED}, Status.CANCELLED),
            Action.WITHDRAW: ({Status.ENROLLED}, Status.WITHDRAWN),
        },
        history="care.EnrolmentHistory",
    )

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments", verbose_name="幼儿")
    klass = models.ForeignKey(ChildcareClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name="班级")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    start_date = models.DateField("入托日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True)
    waitlisted_at = models.DateTimeField("候补时间", null=True, blank=True)
    enrolled_at = models.DateTimeField("录取时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "入托申请"
        verbose_name_plural = "入托申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["klass", "status", "waitlisted_at"], name="enrolment_waitlist_idx")]
        constraints = [
            # A child applies to one class at a time (a new application after a rejection or withdrawal).
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["applied", "waitlisted", "enrolled"]),
                name="enrolment_one_active_per_child",
            ),
        ]

    def __str__(self):
        return f"{self.child} → {self.klass.name} · {self.get_status_display()}"


class EnrolmentHistory(StatusChange):
    Action, Status = Enrolment.Action, Enrolment.Status
    subject_field = "enrolment"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="history", verbose_name="入托申请")

    class Meta(StatusChange.Meta):
        verbose_name = "入托流转记录"
        verbose_name_plural = "入托流转记录"


class FeeBill(TimestampedModel):
    """The monthly fee of one enrolled child (one per enrolment and month), paid online."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", "待缴费"
        PAID = "paid", "已缴费"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="bills", verbose_name="入托")
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_fee_bills", verbose_name="家长"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    month = models.DateField("月份", help_text="该月 1 日")
    amount_fen = models.PositiveIntegerField("金额（分）")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.UNPAID, db_index=True)
    payment_intent = models.ForeignKey(
        PaymentIntent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="支付单"
    )
    paid_at = models.DateTimeField("缴费时间", null=True, blank=True)

    class Meta:
        verbose_name = "保育费账单"
        verbose_name_plural = "保育费账单"
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "month"], name="feebill_once_per_month"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="feebill_amount_positive"),
        ]

    def __str__(self):
        return f"{self.enrolment.child} {self.month:%Y-%m} {self.amount_fen / 100:.2f} 元"
