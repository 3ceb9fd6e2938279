from django.conf import settings
from django.db import models
from django.db.models import Q

from care.models.orders import CheckInMethod
from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Weekday(models.IntegerChoices):
    MONDAY = 0, "周一"
    TUESDAY = 1, "周二"
    WEDNESDAY = 2, "周三"
    THURSDAY = 3, "周四"
    FRIDAY = 4, "周五"
    SATURDAY = 5, "周六"
    SUNDAY = 6, "周日"


class VisitPlan(TimestampedModel):
    """独居/空巢老人探访排班: a staff member or volunteer visits an elder every week on a weekday."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_visit_plans", verbose_name="探访对象"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name="住址")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_visit_duties", verbose_name="探访人"
    )
    weekday = models.PositiveSmallIntegerField("每周", choices=Weekday.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="排班人",
    )

    class Meta:
        verbose_name = "探访排班"
        verbose_name_plural = "探访排班"
        ordering = ["community_id", "weekday", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "visitor", "weekday"], condition=Q(is_active=True), name="visitplan_one_active"
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="visitplan_weekday_0_6"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.visitor} → {self.elder}"


class Visit(TimestampedModel):
    """One week's visit of a plan, on its day: planned → in_progress → done; missed when the day ends first."""

    class Status(models.TextChoices):
        PLANNED = "planned", "待探访"
        IN_PROGRESS = "in_progress", "探访中"
        DONE = "done", "已完成"
        MISSED = "missed", "未按时探访"

    class Action(models.TextChoices):
        PLAN = "plan", "排期"
        CHECK_IN = "check_in", "上门签到"
        CHECK_OUT = "check_out", "探访签退"
        MISS = "miss", "逾期上报"

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.CHECK_IN: ({Status.PLANNED}, Status.IN_PROGRESS),
            Action.CHECK_OUT: ({Status.IN_PROGRESS}, Status.DONE),
            Action.MISS: ({Status.PLANNED, Status.IN_PROGRESS}, Status.MISSED),
        },
        history="care.VisitHistory",
    )

    plan = models.ForeignKey(VisitPlan, on_delete=models.PROTECT, related_name="visits", verbose_name="排班")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="探访对象"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name="住址")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_visits", verbose_name="探访人"
    )
    date = models.DateField("探访日期", db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in_method = models.CharField("签到方式", max_length=10, choices=CheckInMethod.choices, blank=True)
    check_in_distance_m = models.PositiveIntegerField("签到距离（米）", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    notes = models.TextField("探访记录", max_length=2000, blank=True)
    escalated_at = models.DateTimeField("上报社区时间", null=True, blank=True)

    class Meta:
        verbose_name = "探访记录"
        verbose_name_plural = "探访记录"
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["community", "status", "date"], name="visit_community_status_idx")]
        constraints = [models.UniqueConstraint(fields=["plan", "date"], name="visit_once_per_plan_and_day")]

    def __str__(self):
        return f"{self.date} {self.visitor} → {self.elder} · {self.get_status_display()}"


class VisitHistory(StatusChange):
    Action, Status = Visit.Action, Visit.Status
    subject_field = "visit"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="history", verbose_name="探访")

    class Meta(StatusChange.Meta):
        verbose_name = "探访流转记录"
        verbose_name_plural = "探访流转记录"
