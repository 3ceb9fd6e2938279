"""Vehicles a household registers (staff confirm them) and monthly parking permits, each paid by a
parking bill. The gate's plate camera asks `property.selectors.vehicles.permit_holder` who may enter.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange

_SPACES = re.compile(r"[\s·.\-]+")


def normalise_plate(plate: str) -> str:
    """浙h·12345 / "浙H 12345" → 浙H12345: uppercase, without spaces, dots or dashes, as cameras read it."""
    return _SPACES.sub("", plate or "").upper()


class Vehicle(TimestampedModel):
    """A household's vehicle (车辆). One active registration per plate in a community."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REMOVED = "removed", "已移除"

    class Action(models.TextChoices):
        REGISTER = "register", "登记"
        CONFIRM = "confirm", "确认"
        REJECT = "reject", "驳回"
        REMOVE = "remove", "移除"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.CONFIRM: ({Status.PENDING}, Status.CONFIRMED),
            Action.REJECT: ({Status.PENDING}, Status.REMOVED),
            Action.REMOVE: ({Status.PENDING, Status.CONFIRMED}, Status.REMOVED),
        },
        history="property.VehicleHistory",
    )

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="vehicles", verbose_name="房屋")
    plate = models.CharField("车牌号", max_length=12, help_text="大写、无空格，如 浙H12345")
    description = models.CharField("车辆描述", max_length=50, blank=True, help_text="如 白色 大众朗逸")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="property_vehicles",
        verbose_name="登记人",
    )

    class Meta:
        verbose_name = "车辆"
        verbose_name_plural = "车辆"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Removed registrations stay for the record; a plate is active once per community.
            models.UniqueConstraint(
                fields=["community", "plate"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="vehicle_one_active_plate_per_community",
            ),
        ]

    def __str__(self):
        return self.plate


class VehicleHistory(StatusChange):
    """One step of a vehicle registration: confirmed, rejected or removed by staff or the household."""

    Action, Status = Vehicle.Action, Vehicle.Status
    subject_field = "vehicle"

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="history", verbose_name="车辆")

    class Meta(StatusChange.Meta):
        verbose_name = "车辆记录"
        verbose_name_plural = "车辆记录"


class ParkingPermit(TimestampedModel):
    """月租停车证: a vehicle may park from `valid_from` to `valid_until` (inclusive) once its bill is
    settled (paid, or waived by staff). A refund of the bill revokes it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待缴费"
        ACTIVE = "active", "有效"
        REVOKED = "revoked", "已撤销"

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="permits", verbose_name="车辆")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    plate = models.CharField("车牌号", max_length=12, help_text="登记时的车牌，供道闸识别")
    bill = models.OneToOneField(
        "property.Bill", on_delete=models.PROTECT, related_name="permit", verbose_name="停车费账单"
    )
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)

    class Meta:
        verbose_name = "停车证"
        verbose_name_plural = "停车证"
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["community", "plate", "status"], name="permit_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="permit_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.plate} {self.valid_from:%Y-%m}"
