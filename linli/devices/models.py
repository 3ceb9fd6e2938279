"""Smart devices (kiosks, rice mill, unmanned cabinet, drug vending, AI cameras, sensors),
the commands we send them, the events they post and the outages the heartbeat watch records."""

from django.db import models
from django.db.models import Q

from linli.regions.models import Community, Street


class Device(models.Model):
    class Kind(models.TextChoices):
        HEALTH_KIOSK = "health_kiosk", "健康自助机"
        RICE_MILL = "rice_mill", "碾米机"
        UNMANNED_CABINET = "unmanned_cabinet", "无人果蔬柜"
        DRUG_VENDING = "drug_vending", "自助售药机"
        AI_CAMERA = "ai_camera", "AI 摄像头"
        IOT_SENSOR = "iot_sensor", "物联网传感器"
        # Kinds the newer scenarios own: property's gates and plate cameras, home care's SOS buttons
        # and fall detectors. The app registers their events (linli/devices/registry.py).
        GATE = "gate", "门禁"
        PLATE_CAMERA = "plate_camera", "车牌识别摄像头"
        SOS_BUTTON = "sos_button", "一键呼叫按钮"
        FALL_DETECTOR = "fall_detector", "跌倒探测器"

    class Status(models.TextChoices):
        ONLINE = "online", "在线"
        OFFLINE = "offline", "离线"
        DISABLED = "disabled", "停用"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    code = models.SlugField("设备编号", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="devices", verbose_name="社区"
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="devices", verbose_name="街道/乡镇"
    )
    location = models.CharField("安装位置", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    config = models.JSONField("配置", default=dict, blank=True, help_text="按设备类型：价格、货道、阈值等")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OFFLINE)
    last_heartbeat_at = models.DateTimeField("最后心跳", null=True, blank=True, db_index=True)
    firmware_version = models.CharField("固件版本", max_length=50, blank=True)
    telemetry = models.JSONField("最近遥测", default=dict, blank=True, help_text="最近一次心跳上报的电量、信号等")
    # Fernet token of the device's signing secret (linli/devices/crypto.py); empty: cannot sign in yet.
    secret_encrypted = models.TextField("密钥（加密）", blank=True, default="", editable=False)
    secret_issued_at = models.DateTimeField("密钥签发时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "智能终端"
        verbose_name_plural = "智能终端"
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class DeviceCommand(models.Model):
    """Something a device must do ("dispense 1000 g", "open door"). Devices poll and ack."""

    class Status(models.TextChoices):
        PENDING = "pending", "待执行"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "已过期"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="commands", verbose_name="设备")
    kind = models.CharField("指令", max_length=50)
    payload = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    result = models.JSONField("执行结果", default=dict, blank=True)
    dedupe_key = models.CharField("去重键", max_length=150, null=True, blank=True, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True, help_text="到期仍未回执则置为已过期")
    acked_at = models.DateTimeField("回执时间", null=True, blank=True)

    class Meta:
        verbose_name = "设备指令"
        verbose_name_plural = "设备指令"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["device", "status"], name="devicecommand_pending_idx")]

    def __str__(self):
        return f"{self.device.code} {self.kind} {self.get_status_display()}"


class DeviceEvent(models.Model):
    """A typed event a device posted; `event_id` (device-chosen) makes re-posts harmless."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events", verbose_name="设备")
    event_id = models.CharField("事件编号", max_length=100)
    type = models.CharField("事件类型", max_length=50, db_index=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    occurred_at = models.DateTimeField("发生时间")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "设备事件"
        verbose_name_plural = "设备事件"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["device", "event_id"], name="device_event_unique_id"),
        ]

    def __str__(self):
        return f"{self.device.code} {self.type}"


class DeviceOutage(models.Model):
    """A device that stopped sending heartbeats: one row per outage, open until it is heard from again.

    At most one open outage per device (a partial unique constraint), and the staff alert is sent
    in the same transaction that opens it, so each outage alerts exactly once.
    """

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="outages", verbose_name="设备")
    last_seen_at = models.DateTimeField("最后心跳", null=True, blank=True, help_text="离线前最后一次心跳")
    detected_at = models.DateTimeField("发现离线时间")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    notified_count = models.PositiveIntegerField("通知人数", default=0)

    class Meta:
        verbose_name = "离线记录"
        verbose_name_plural = "离线记录"
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"], condition=Q(ended_at__isnull=True), name="device_one_open_outage"
            ),
        ]

    def __str__(self):
        return f"{self.device.code} 离线于 {self.detected_at:%Y-%m-%d %H:%M}"
