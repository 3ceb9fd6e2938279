"""Cases (立案) with their per-year numbers, history, and the provincial platform integration:
pushes (with the platform's external id), pulled status updates (applied once), the sync cursor
and the sandbox receiver that stands in for the platform when no URL is configured."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from enforcement.models.catalogue import Matter, Team
from linli.lib.models import TimestampedModel
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class CaseNumberCounter(models.Model):
    """The last case number used in a year; locked (select_for_update) to hand out the next one."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "案件编号计数"
        verbose_name_plural = "案件编号计数"

    def __str__(self):
        return f"{self.year}: {self.last}"


class CaseAction(models.TextChoices):
    """The case's transitions, and the provincial steps that leave its status alone."""

    FILE = "file", "立案"
    INVESTIGATE = "investigate", "调查取证"
    DECIDE = "decide", "作出决定"
    CLOSE = "close", "结案"
    PUSHED = "pushed", "推送省平台"
    PUSH_FAILED = "push_failed", "推送失败"
    PLATFORM_UPDATE = "platform_update", "省平台状态更新"


class Case(TimestampedModel):
    class Status(models.TextChoices):
        FILED = "filed", "已立案"
        INVESTIGATING = "investigating", "调查取证"
        DECIDED = "decided", "已决定"
        CLOSED = "closed", "已结案"

    workflow = Workflow(
        actions=CaseAction,
        transitions={
            CaseAction.INVESTIGATE: ({Status.FILED}, Status.INVESTIGATING),
            CaseAction.DECIDE: ({Status.INVESTIGATING}, Status.DECIDED),
            CaseAction.CLOSE: ({Status.DECIDED}, Status.CLOSED),
        },
        history="enforcement.CaseHistory",
    )

    class PushStatus(models.TextChoices):
        PENDING = "pending", "待推送"
        PUSHED = "pushed", "已推送"
        FAILED = "failed", "推送失败"

    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("年度序号")
    number = models.CharField("案件编号", max_length=40, unique=True)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="cases", verbose_name="执法事项")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name="办案队伍")
    party_name = models.CharField("当事人", max_length=100)
    party_code = models.CharField("统一社会信用代码/证件号", max_length=30, blank=True)
    facts = models.TextField("违法事实", max_length=5000)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.FILED, db_index=True)
    penalty_fen = models.PositiveBigIntegerField("罚款（分）", null=True, blank=True)
    decision = models.TextField("处罚决定", blank=True)
    report = models.ForeignKey(
        "enforcement.ProblemReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="来源线索",
    )
    finding = models.OneToOneField(
        "enforcement.Finding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
        verbose_name="来源检查发现",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="立案人"
    )
    filed_at = models.DateTimeField("立案时间", db_index=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)

    push_status = models.CharField(
        "推送状态", max_length=10, choices=PushStatus.choices, default=PushStatus.PENDING, db_index=True
    )
    push_attempts = models.PositiveSmallIntegerField("推送次数", default=0)
    pushed_at = models.DateTimeField("推送成功时间", null=True, blank=True)
    push_error = models.CharField("最近推送错误", max_length=500, blank=True)
    external_id = models.CharField("省平台编号", max_length=64, null=True, blank=True, unique=True)
    platform_status = models.CharField("省平台状态", max_length=40, blank=True)
    platform_status_at = models.DateTimeField("省平台状态时间", null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="case_unique_number_in_year"),
            models.CheckConstraint(
                condition=Q(penalty_fen__isnull=True) | Q(penalty_fen__gte=0), name="case_penalty_not_negative"
            ),
        ]

    def __str__(self):
        return self.number


class CaseHistory(StatusChange):
    """One step of a case: its transitions, and the pushes and provincial updates (`record_step`)."""

    subject_field = "case"
    Action, Status = CaseAction, Case.Status

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history", verbose_name="案件")

    class Meta(StatusChange.Meta):
        verbose_name = "案件记录"
        verbose_name_plural = "案件记录"


class PlatformUpdate(models.Model):
    """A status update pulled from the provincial platform; its id makes applying it once-only."""

    update_id = models.CharField("更新编号", max_length=64, unique=True)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="platform_updates", verbose_name="案件"
    )
    external_id = models.CharField("省平台编号", max_length=64)
    status = models.CharField("状态", max_length=40)
    occurred_at = models.DateTimeField("发生时间")
    payload = models.JSONField("原文", default=dict)
    applied = models.BooleanField("已应用", default=False, help_text="否：案件未找到或比已有状态旧")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "省平台状态回传"
        verbose_name_plural = "省平台状态回传"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.update_id} {self.status}"


class PlatformCursor(models.Model):
    """Where the last pull of platform updates stopped (one row per feed)."""

    name = models.CharField("名称", max_length=40, primary_key=True)
    cursor = models.CharField("游标", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "省平台同步游标"
        verbose_name_plural = "省平台同步游标"

    def __str__(self):
        return f"{self.name}: {self.cursor}"


class SandboxPush(models.Model):
    """What the built-in sandbox receiver got instead of the provincial platform (no URL configured)."""

    external_id = models.CharField("分配编号", max_length=64, unique=True)
    idempotency_key = models.CharField("幂等键", max_length=100, unique=True)
    body = models.JSONField("推送内容")
    signature = models.CharField("签名", max_length=100)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "省平台沙箱接收记录"
        verbose_name_plural = "省平台沙箱接收记录"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.external_id
