"""亲情账号: a family member (the *member*) may act for an elder (the *principal*) within the
permissions the principal grants, and a managed elder (no phone, no WeChat) registered by community
staff with a guardian.

A binding is asked for by either side (by the other's phone number or user id) and answered by the
other: pending → accepted / declined / cancelled; accepted → ended. While pending, the side that was
asked may still be unknown (a phone nobody has registered yet): its user field stays empty and the
request is matched by `invitee_phone` / `invitee_ref` until someone accepts it.

Scenario apps never read these tables directly: they go through `linli.family.acting`
(`resolve_beneficiary`, `record_act`) and `linli.family.selectors` (`alert_recipients`, …).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Permission(models.TextChoices):
    """What a binding lets the member do for the principal (each a boolean field on the binding)."""

    VIEW_HEALTH = "view_health", "查看健康数据"
    ACT_FOR = "act_for", "代办"
    PAY_FOR = "pay_for", "代付"
    RECEIVE_ALERTS = "receive_alerts", "接收告警"


PERMISSION_FIELDS = [p.value for p in Permission]


class FamilyBinding(TimestampedModel):
    """The member may act for the principal within the permission flags, once the binding is accepted."""

    class Side(models.TextChoices):
        PRINCIPAL = "principal", "老人（被代办人）"
        MEMBER = "member", "家属（代办人）"

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        ACCEPTED = "accepted", "已绑定"
        DECLINED = "declined", "已拒绝"
        CANCELLED = "cancelled", "已撤回"
        ENDED = "ended", "已解除"

    class Action(models.TextChoices):
        REQUEST = "request", "申请绑定"
        ACCEPT = "accept", "同意"
        DECLINE = "decline", "拒绝"
        CANCEL = "cancel", "撤回"
        END = "end", "解除"
        SET_PERMISSIONS = "set_permissions", "修改权限"  # a step: the status stays
        APPOINT_GUARDIAN = "appoint_guardian", "指定监护人"  # the first step of a managed elder's guardian binding

    LIVE = (Status.PENDING, Status.ACCEPTED)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ACCEPT: ({Status.PENDING}, Status.ACCEPTED),
            Action.DECLINE: ({Status.PENDING}, Status.DECLINED),
            Action.CANCEL: ({Status.PENDING}, Status.CANCELLED),
            Action.END: ({Status.ACCEPTED}, Status.ENDED),
        },
        history="family.FamilyBindingHistory",
    )

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_members",
        verbose_name="老人（被代办人）",
        help_text="空表示对方尚未确认（按手机号发出的申请）",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_principals",
        verbose_name="家属（代办人）",
        help_text="空表示对方尚未确认（按手机号发出的申请）",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
        help_text="发起绑定的一方；托管老人的监护关系由社区工作人员创建",
    )
    requester_side = models.CharField("发起方身份", max_length=10, choices=Side.choices)
    invitee_phone = models.CharField("受邀手机号", max_length=20, blank=True, db_index=True)
    invitee_ref = models.PositiveBigIntegerField("受邀用户 ID", null=True, blank=True, db_index=True)
    relation = models.CharField("关系", max_length=20, blank=True, help_text="如 儿子、女儿、孙女、侄子")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    view_health = models.BooleanField("查看健康数据", default=False)
    act_for = models.BooleanField("代办", default=False, help_text="报名、预约、问诊、报修、下单")
    pay_for = models.BooleanField("代付", default=False)
    receive_alerts = models.BooleanField("接收告警", default=False, help_text="体征异常、一键呼叫")
    is_guardian = models.BooleanField("监护人", default=False, help_text="托管老人的监护人：代老人设置其他家属的权限")
    responded_at = models.DateTimeField("确认时间", null=True, blank=True)
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)

    class Meta:
        verbose_name = "亲情绑定"
        verbose_name_plural = "亲情绑定"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live binding per pair (NULLs are distinct, so phone requests not yet answered do not count).
            models.UniqueConstraint(
                fields=["principal", "member"],
                condition=Q(status__in=["pending", "accepted"]),
                name="family_binding_one_live_per_pair",
            ),
            models.CheckConstraint(condition=~Q(principal=models.F("member")), name="family_binding_not_self"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled"]) | Q(principal__isnull=False, member__isnull=False),
                name="family_binding_answered_has_both",
            ),
        ]
        indexes = [models.Index(fields=["member", "status"], name="family_binding_member_idx")]

    def __str__(self):
        principal = self.principal or self.invitee_phone or self.invitee_ref or "?"
        member = self.member or self.invitee_phone or self.invitee_ref or "?"
        return f"{member} → {principal}（{self.get_status_display()}）"

    def permissions(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in PERMISSION_FIELDS}

    def side_of(self, user_id: int) -> str | None:
        if user_id == self.principal_id:
            return self.Side.PRINCIPAL
        if user_id == self.member_id:
            return self.Side.MEMBER
        return None


class FamilyBindingHistory(StatusChange):
    """One step of a binding: asked, accepted, declined, cancelled, ended, permissions changed."""

    Action, Status = FamilyBinding.Action, FamilyBinding.Status
    subject_field = "binding"

    binding = models.ForeignKey(FamilyBinding, on_delete=models.CASCADE, related_name="history", verbose_name="绑定")
    permissions = models.JSONField("权限", default=dict, blank=True, help_text="这一步之后的权限")

    class Meta(StatusChange.Meta):
        verbose_name = "亲情绑定记录"
        verbose_name_plural = "亲情绑定记录"


class ManagedElder(TimestampedModel):
    """An elder registered by community staff: a user with no phone and no WeChat who cannot log in.
    Their guardian (an accepted binding with every permission, `is_guardian`) acts for them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_elder", verbose_name="老人"
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, related_name="managed_elders", verbose_name="社区"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="如 独居、行动不便")

    class Meta:
        verbose_name = "托管老人"
        verbose_name_plural = "托管老人"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.user)


class FamilyAct(models.Model):
    """One write a family member made for the principal (代办记录): who, for whom, what, on which object.

    Written by scenario apps through `linli.family.acting.record_act`; the object is named by its
    "app_label.model" and id so the platform never imports the scenario."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_acts", verbose_name="代办人"
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_acts_for", verbose_name="被代办人"
    )
    kind = models.CharField("事项", max_length=40, db_index=True, help_text="如 events.registration")
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.PositiveBigIntegerField("对象 ID")
    summary = models.CharField("摘要", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "代办记录"
        verbose_name_plural = "代办记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["beneficiary", "-created_at"], name="family_act_beneficiary_idx"),
            models.Index(fields=["actor", "-created_at"], name="family_act_actor_idx"),
        ]

    def __str__(self):
        return f"{self.actor} 代 {self.beneficiary}：{self.summary}"
