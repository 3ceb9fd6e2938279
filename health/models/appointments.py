"""到家约: departments publish slots (date, time, capacity); residents book and cancel."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from health.models.clinics import Department
from linli.lib.models import TimestampedModel
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Slot(TimestampedModel):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="slots", verbose_name="科室")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="health_slots",
        verbose_name="出诊医生",
    )
    date = models.DateField("日期", db_index=True)
    start_time = models.TimeField("开始")
    end_time = models.TimeField("结束")
    capacity = models.PositiveSmallIntegerField("号源数")
    booked = models.PositiveSmallIntegerField("已约", default=0)

    class Meta:
        verbose_name = "号源"
        verbose_name_plural = "号源"
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "date", "start_time"], name="health_slot_unique_time"),
            # The database, not the application, is the last word on overbooking.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="health_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="health_slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.department} {self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))


class Appointment(TimestampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "已预约"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        BOOK = "book", "预约"
        CANCEL = "cancel", "取消"

    # Every change of `status` goes through `linli.workflow.transition` (history: AppointmentHistory).
    workflow = Workflow(
        actions=Action,
        transitions={Action.CANCEL: ({Status.BOOKED}, Status.CANCELLED)},
        history="health.AppointmentHistory",
    )

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name="号源")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_appointments", verbose_name="居民"
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
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "resident"], condition=Q(status="booked"), name="health_appointment_once_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.slot} · {self.get_status_display()}"


class AppointmentHistory(StatusChange):
    """History of an appointment: booked, cancelled."""

    Action, Status = Appointment.Action, Appointment.Status
    subject_field = "appointment"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="history", verbose_name="预约")

    class Meta(StatusChange.Meta):
        verbose_name = "预约记录"
        verbose_name_plural = "预约记录"
