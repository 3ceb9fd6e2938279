"""Visitors and the gate (访客/门禁): visitor passes, gate devices, the entry log and plate-camera reads.

A resident's `VisitorPass` carries a random code (the QR payload) that opens the gates of one estate
inside a time window, a fixed number of times. Every decision a gate makes through us — a code
checked, a plate read, a walk-in registered by staff — is one `GateEntry` row (allowed or refused,
with the reason); plate reads are also kept as `PlateRead` rows for the staff's camera log.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from linli.devices.models import Device
from linli.regions.models import Community, Estate, Room


class GateDevice(models.Model):
    """A gate (门禁) or plate camera (车牌识别) of the device gateway, installed at an estate's gate."""

    device = models.OneToOneField(Device, on_delete=models.PROTECT, related_name="gate_link", verbose_name="设备")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="gate_devices", verbose_name="小区")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="gate_devices", verbose_name="社区", editable=False
    )

    class Meta:
        verbose_name = "门岗设备"
        verbose_name_plural = "门岗设备"
        ordering = ["estate_id", "id"]

    def __str__(self):
        return f"{self.estate} · {self.device}"

    def save(self, *args, **kwargs):
        # Denormalised for community scoping (admin, staff API): always the estate's community.
        self.community_id = self.estate.community_id
        super().save(*args, **kwargs)


class VisitorPass(models.Model):
    """访客通行证: a resident invites a visitor to their estate for a time window and N entries."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", "未生效"
        ACTIVE = "active", "有效"
        USED_UP = "used_up", "次数已用完"
        EXPIRED = "expired", "已过期"
        REVOKED = "revoked", "已撤销"

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="visitor_passes", verbose_name="小区")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="visitor_passes", verbose_name="受访房屋")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visitor_passes", verbose_name="邀请人"
    )
    visitor_name = models.CharField("访客姓名", max_length=30)
    visitor_phone = models.CharField("访客手机号", max_length=20)
    plate = models.CharField("车牌号", max_length=12, blank=True, db_index=True, help_text="访客车辆，可空")
    # The QR payload: 128 random bits, URL-safe. Only the host sees it; staff never do.
    code = models.CharField("通行码", max_length=40, unique=True, editable=False)
    valid_from = models.DateTimeField("生效时间")
    valid_until = models.DateTimeField("失效时间")
    entries_allowed = models.PositiveSmallIntegerField("可通行次数")
    entries_used = models.PositiveSmallIntegerField("已通行次数", default=0)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "访客通行证"
        verbose_name_plural = "访客通行证"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The backstop of the conditional update that admits a visitor (services/gate.py).
            models.CheckConstraint(
                condition=Q(entries_used__lte=F("entries_allowed")), name="visitor_pass_entries_within_allowed"
            ),
            models.CheckConstraint(condition=Q(entries_allowed__gte=1), name="visitor_pass_at_least_one_entry"),
            models.CheckConstraint(condition=Q(valid_until__gt=F("valid_from")), name="visitor_pass_window_order"),
        ]

    def __str__(self):
        return f"{self.visitor_name} → {self.room}"

    def state_at(self, now) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if now >= self.valid_until:
            return self.State.EXPIRED
        if self.entries_used >= self.entries_allowed:
            return self.State.USED_UP
        if now < self.valid_from:
            return self.State.UPCOMING
        return self.State.ACTIVE

    @property
    def entries_left(self) -> int:
        return max(self.entries_allowed - self.entries_used, 0)


class GateEntry(models.Model):
    """One decision at an estate's gate: who, how, allowed or refused and why."""

    class Method(models.TextChoices):
        CODE = "code", "通行码"
        PLATE = "plate", "车牌识别"
        WALK_IN = "walk_in", "人工登记"

    class Result(models.TextChoices):
        ALLOWED = "allowed", "放行"
        REFUSED = "refused", "拒绝"

    class Reason(models.TextChoices):
        OK = "", "—"
        EXPIRED = "expired", "已过期"
        NOT_YET_VALID = "not_yet_valid", "未到生效时间"
        USED_UP = "used_up", "次数已用完"
        REVOKED = "revoked", "已撤销"
        WRONG_ESTATE = "wrong_estate", "非本小区通行证"
        UNKNOWN = "unknown", "无效通行码"

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="gate_entries", verbose_name="小区")
    visitor_pass = models.ForeignKey(
        VisitorPass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="通行证",
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="gate_entries", verbose_name="设备"
    )
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    result = models.CharField("结果", max_length=10, choices=Result.choices, db_index=True)
    reason = models.CharField("拒绝原因", max_length=20, choices=Reason.choices, blank=True)
    # Copied from the pass, or typed in by staff for a walk-in: the log reads on its own.
    visitor_name = models.CharField("访客姓名", max_length=30, blank=True)
    visitor_phone = models.CharField("访客手机号", max_length=20, blank=True)
    plate = models.CharField("车牌号", max_length=12, blank=True)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="受访房屋"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    # The device's id for this request: a retry after a timeout gets the first decision back
    # instead of using up another entry.
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "通行记录"
        verbose_name_plural = "通行记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "request_id"], condition=~Q(request_id=""), name="gate_entry_unique_request"
            ),
        ]
        indexes = [models.Index(fields=["community", "at"], name="gate_entry_community_at_idx")]

    def __str__(self):
        who = self.visitor_name or self.plate or "未知访客"
        return f"{who} {self.get_result_display()} {self.at:%Y-%m-%d %H:%M}"


class PlateRead(models.Model):
    """A plate the camera at an estate's gate read, and what we told it."""

    class Result(models.TextChoices):
        OPEN = "open", "放行"
        LOGGED = "logged", "未放行（已记录）"

    class Reason(models.TextChoices):
        PERMIT = "permit", "停车许可"
        VISITOR_PASS = "visitor_pass", "访客通行证"
        NO_MATCH = "no_match", "无许可、无通行证"
        PASS_REFUSED = "pass_refused", "通行证不可用"

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="plate_reads", verbose_name="小区")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="plate_reads", verbose_name="设备")
    event = models.OneToOneField(
        "devices.DeviceEvent", on_delete=models.PROTECT, related_name="plate_read", verbose_name="设备事件"
    )
    plate = models.CharField("车牌号", max_length=12, db_index=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, db_index=True)
    reason = models.CharField("依据", max_length=20, choices=Reason.choices)
    entry = models.OneToOneField(
        GateEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="plate_read", verbose_name="通行记录"
    )
    permit = models.ForeignKey(
        "property.ParkingPermit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plate_reads",
        verbose_name="停车许可",
    )
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "车牌识别记录"
        verbose_name_plural = "车牌识别记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["community", "at"], name="plate_read_community_at_idx")]

    def __str__(self):
        return f"{self.plate} {self.get_result_display()} {self.at:%Y-%m-%d %H:%M}"
