"""Attendance per session: volunteers' hours (志愿时长) and 幸福学堂 course attendance and completion.

* Events that track sessions (`Event.tracks_sessions`: volunteering, and courses of more than one
  session) get one `SessionAttendance` per registration and session, made by the check-in scan. The
  registration itself still becomes `attended` at its first check-in (seats, no-shows and the
  attendance points of `points_reward` work as for any event).
* Volunteering: the check-out scan ends the attendance and credits hours (see services/attendance.py
  for the rule); staff close an attendance nobody checked out and adjust hours with a reason — every
  change of credited hours after the first is a `HoursAdjustment` (who, before, after, why).
* Courses: attendance rate = sessions attended / sessions; at the course's end a registration at or
  above the course's `completion_threshold` gets one `CourseCompletion`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.lib.models import TimestampedModel


class SessionAttendance(TimestampedModel):
    """One registrant at one session: checked in, and for volunteering checked out with hours credited."""

    class Status(models.TextChoices):
        CHECKED_IN = "checked_in", "已签到"
        CHECKED_OUT = "checked_out", "已签退"
        CLOSED = "closed", "工作人员补签退"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="attendances", verbose_name="活动")
    session = models.ForeignKey(
        "events.EventSession", on_delete=models.CASCADE, related_name="attendances", verbose_name="场次"
    )
    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="attendances", verbose_name="报名"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_attendances", verbose_name="居民"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CHECKED_IN)
    checked_in_at = models.DateTimeField("签到时间")
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="签到核验人"
    )
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签退核验人",
        help_text="补签退时为操作的工作人员",
    )
    hours = models.DecimalField("计入时长（小时）", max_digits=4, decimal_places=1, default=0)
    computed_hours = models.DecimalField(
        "签退计算时长（小时）", max_digits=4, decimal_places=1, null=True, blank=True, help_text="调整前按签到签退计算"
    )

    class Meta:
        verbose_name = "场次出勤"
        verbose_name_plural = "场次出勤与志愿时长"
        ordering = ["-checked_in_at", "-id"]
        indexes = [
            models.Index(fields=["user", "checked_in_at"], name="attendance_user_time_idx"),
            models.Index(fields=["event", "session"], name="attendance_event_session_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_one_per_session"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
        ]

    def __str__(self):
        return f"{self.user} · {self.session} · {self.get_status_display()}"


class HoursAdjustment(models.Model):
    """Staff changed a volunteer's credited hours: who, before, after, why (the audit trail)."""

    attendance = models.ForeignKey(
        SessionAttendance, on_delete=models.CASCADE, related_name="adjustments", verbose_name="出勤"
    )
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="调整人"
    )
    hours_before = models.DecimalField("调整前（小时）", max_digits=4, decimal_places=1)
    hours_after = models.DecimalField("调整后（小时）", max_digits=4, decimal_places=1)
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "志愿时长调整"
        verbose_name_plural = "志愿时长调整"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.attendance_id}: {self.hours_before} → {self.hours_after}"


class CourseCompletion(models.Model):
    """A registrant completed a 幸福学堂 course (rate ≥ the course's threshold when it ended). One per registration."""

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="completion", verbose_name="报名"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="completions", verbose_name="课程")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_completions", verbose_name="学员"
    )
    sessions_attended = models.PositiveSmallIntegerField("出勤次数")
    sessions_total = models.PositiveSmallIntegerField("总课时")
    rate = models.PositiveSmallIntegerField("出勤率（%）")
    threshold = models.PositiveSmallIntegerField("结业要求（%）")
    completed_at = models.DateTimeField("结业时间")

    class Meta:
        verbose_name = "结业记录"
        verbose_name_plural = "结业记录"
        ordering = ["-completed_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.event} 结业"
