"""The duty roster (值班表) of each squad and duty dispatch: a dispatched report is offered to the
nearest on-duty officer, who must accept within the squad's time or it is offered to the next.

An offer's status is not a `linli.workflow` flow on purpose: accepting and timing out are decided by
one conditional UPDATE on the offer row (first wins); the report's timeline records every step."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from enforcement.models.catalogue import Team
from enforcement.models.reports import ProblemReport
from linli.accounts.querysets import UserRefsQuerySet
from linli.lib.models import TimestampedModel


class Shift(TimestampedModel):
    """A shift of a squad: the officers on duty between `starts_at` and `ends_at` (may cross midnight)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shifts", verbose_name="执法中队")
    date = models.DateField("值班日期")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="值班人员")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "值班班次"
        verbose_name_plural = "值班班次"
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after")]
        indexes = [models.Index(fields=["team", "starts_at", "ends_at"], name="shift_on_duty_idx")]

    def __str__(self):
        return f"{self.team} {self.date} {self.starts_at:%H:%M}"


class OfficerPosition(models.Model):
    """An officer's last known position, posted by their app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name="执法人员",
    )
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField("精度（米）", null=True, blank=True)
    reported_at = models.DateTimeField("上报时间")

    class Meta:
        verbose_name = "执法人员位置"
        verbose_name_plural = "执法人员位置"
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.user_id} @ {self.lat},{self.lng}"


class DispatchOffer(models.Model):
    """A report offered to one on-duty officer of the squad it was dispatched to."""

    class Status(models.TextChoices):
        PENDING = "pending", "待接单"
        ACCEPTED = "accepted", "已接单"
        DECLINED = "declined", "已拒绝"
        EXPIRED = "expired", "超时未接"
        WITHDRAWN = "withdrawn", "已撤回"

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="offers", verbose_name="线索")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", verbose_name="执法中队")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="执法人员"
    )
    distance_m = models.FloatField("距离（米）", null=True, blank=True)
    position_source = models.CharField(
        "位置来源", max_length=10, choices=[("app", "移动端定位"), ("office", "中队驻地"), ("", "未知")], blank=True
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    offered_at = models.DateTimeField("派单时间")
    expires_at = models.DateTimeField("接单期限")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = UserRefsQuerySet.as_manager()

    class Meta:
        verbose_name = "派单"
        verbose_name_plural = "派单"
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=Q(status="pending"), name="offer_one_pending"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("offered_at")), name="offer_expires_after"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="offer_due_idx"),
            models.Index(fields=["officer", "status"], name="offer_officer_idx"),
        ]

    def __str__(self):
        return f"#{self.report_id} → {self.officer_id} · {self.get_status_display()}"
