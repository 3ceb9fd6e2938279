"""Party members (党员): a resident registers, community staff confirm or reject; a 在职党员 (who
belongs to a workplace party organisation) reports to the community they live in (党员报到)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class PartyMember(TimestampedModel):
    """A resident's party-member registration in a community. One active (pending or confirmed) per user."""

    class Kind(models.TextChoices):
        WORKPLACE = "workplace", "在职党员"
        COMMUNITY = "community", "社区党员"

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已驳回"
        REVOKED = "revoked", "已撤销"

    class Action(models.TextChoices):
        REGISTER = "register", "登记"
        CONFIRM = "confirm", "确认"
        REJECT = "reject", "驳回"
        REVOKE = "revoke", "撤销"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.CONFIRM: ({Status.PENDING}, Status.CONFIRMED),
            Action.REJECT: ({Status.PENDING}, Status.REJECTED),
            Action.REVOKE: ({Status.CONFIRMED}, Status.REVOKED),
        },
        history="participation.PartyMemberHistory",
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="party_members", verbose_name="党员"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    kind = models.CharField("党员类型", max_length=10, choices=Kind.choices)
    organisation = models.CharField("所在党组织", max_length=100)
    joined_on = models.DateField("入党日期")
    workplace = models.CharField("工作单位", max_length=100, blank=True, help_text="在职党员填写")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Rejected and revoked registrations stay for the record; a person registers once at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["pending", "confirmed"]), name="party_member_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"


class PartyMemberHistory(StatusChange):
    """One step of a registration: registered, confirmed, rejected or revoked."""

    Action, Status = PartyMember.Action, PartyMember.Status
    subject_field = "member"

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="history", verbose_name="党员")

    class Meta(StatusChange.Meta):
        verbose_name = "党员登记记录"
        verbose_name_plural = "党员登记记录"


class PartyReport(TimestampedModel):
    """党员报到: a confirmed 在职党员 reports to a community they live in, once per community."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="reports", verbose_name="党员")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="报到社区")
    reported_on = models.DateField("报到日期")
    workplace = models.CharField("工作单位", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True, help_text="如 愿意参与的服务")

    class Meta:
        verbose_name = "党员报到"
        verbose_name_plural = "党员报到"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "community"], name="party_report_once_per_community"),
        ]

    def __str__(self):
        return f"{self.member} → {self.community}"
