"""一键呼叫: SOS buttons and fall detectors bound to an elder, and the alarms they raise.

One alarm per episode: while an elder's alarm is not closed, every further press (or fall) joins it
(`press_count`); the database decides with a partial unique constraint on the elder's unclosed alarm.
Until someone acknowledges, the escalation job notifies everyone again every N minutes, each level once
(`escalation_level` moves by a conditional UPDATE).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.devices.models import Device
from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class CareDevice(TimestampedModel):
    """The binding of an SOS button or fall detector to the elder who wears or keeps it (staff-managed)."""

    device = models.OneToOneField(Device, on_delete=models.PROTECT, related_name="care_binding", verbose_name="设备")
    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_devices", verbose_name="老人"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="住址"
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="如：佩戴在手腕 / 安装在卫生间")
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        verbose_name = "呼叫设备绑定"
        verbose_name_plural = "呼叫设备绑定"
        ordering = ["community_id", "id"]

    def __str__(self):
        return f"{self.device} → {self.elder}"


class AlarmOutcome(models.TextChoices):
    FALSE_ALARM = "false_alarm", "误报"
    HANDLED_AT_HOME = "handled_at_home", "居家处置"
    SENT_TO_HOSPITAL = "sent_to_hospital", "送医"
    OTHER = "other", "其他"


class Alarm(TimestampedModel):
    """One emergency episode of an elder: open → acknowledged → on_site → closed (with an outcome)."""

    class Kind(models.TextChoices):
        SOS = "sos", "一键呼叫"
        FALL = "fall", "跌倒报警"

    class Status(models.TextChoices):
        OPEN = "open", "待响应"
        ACKNOWLEDGED = "acknowledged", "已响应"
        ON_SITE = "on_site", "已到场"
        CLOSED = "closed", "已结束"

    class Action(models.TextChoices):
        RAISE = "raise", "报警"
        PRESS = "press", "再次呼叫"
        ESCALATE = "escalate", "升级通知"
        ACKNOWLEDGE = "acknowledge", "响应"
        ARRIVE = "arrive", "到场"
        CLOSE = "close", "结束"

    UNCLOSED = (Status.OPEN, Status.ACKNOWLEDGED, Status.ON_SITE)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.ACKNOWLEDGE: ({Status.OPEN}, Status.ACKNOWLEDGED),
            # Arriving without acknowledging first is still a response: it stops the escalation too.
            Action.ARRIVE: ({Status.OPEN, Status.ACKNOWLEDGED}, Status.ON_SITE),
            Action.CLOSE: ({Status.OPEN, Status.ACKNOWLEDGED, Status.ON_SITE}, Status.CLOSED),
        },
        history="care.AlarmHistory",
    )

    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_alarms", verbose_name="老人"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    binding = models.ForeignKey(CareDevice, on_delete=models.PROTECT, related_name="alarms", verbose_name="设备绑定")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+", verbose_name="首次触发设备")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.OPEN, db_index=True)
    press_count = models.PositiveIntegerField("触发次数", default=1)
    raised_at = models.DateTimeField("报警时间", db_index=True)
    last_pressed_at = models.DateTimeField("最近触发时间")
    escalation_level = models.PositiveSmallIntegerField("已升级次数", default=0)
    next_escalation_at = models.DateTimeField("下次升级时间", null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="响应人",
    )
    acknowledged_at = models.DateTimeField("响应时间", null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="到场人",
    )
    arrived_at = models.DateTimeField("到场时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="结束人",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("处置结果", max_length=20, choices=AlarmOutcome.choices, blank=True)
    outcome_note = models.CharField("处置说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "紧急呼叫"
        verbose_name_plural = "紧急呼叫"
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="alarm_community_status_idx")]
        constraints = [
            # One episode at a time: a press while the elder's alarm is unclosed joins it.
            models.UniqueConstraint(
                fields=["elder"], condition=~Q(status="closed"), name="alarm_one_unclosed_per_elder"
            ),
            models.CheckConstraint(condition=Q(press_count__gte=1), name="alarm_press_count_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.elder} · {self.get_status_display()}"


class AlarmHistory(StatusChange):
    Action, Status = Alarm.Action, Alarm.Status
    subject_field = "alarm"

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="history", verbose_name="紧急呼叫")

    class Meta(StatusChange.Meta):
        verbose_name = "紧急呼叫记录"
        verbose_name_plural = "紧急呼叫记录"
