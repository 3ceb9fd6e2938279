import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateTimeField
from linli.api.serializers import ModelSerializer
from linli.devices.models import Device, DeviceCommand, DeviceEvent

MAX_TELEMETRY_BYTES = 4096


class HeartbeatInputSerializer(serializers.Serializer):
    firmware_version = serializers.CharField(max_length=50, required=False, help_text="固件版本，如 2.3.1")
    battery_pct = serializers.IntegerField(min_value=0, max_value=100, required=False, help_text="电量百分比")
    signal_dbm = serializers.IntegerField(min_value=-150, max_value=0, required=False, help_text="信号强度 dBm")
    telemetry = serializers.DictField(required=False, help_text="其他遥测（温度、货道状态等），JSON 对象，≤ 4 KB")

    def validate_telemetry(self, value):
        if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_TELEMETRY_BYTES:
            raise serializers.ValidationError("遥测数据不能超过 4 KB")
        return value


class HeartbeatSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Device.Status.choices)
    last_heartbeat_at = DateTimeField()
    server_time = DateTimeField(help_text="服务器时间，设备可据此校准时钟")
    heartbeat_interval_seconds = serializers.IntegerField(help_text="请按此间隔发送心跳")
    pending_commands = serializers.IntegerField(help_text="待执行指令数，大于 0 时请拉取指令")


class CommandSerializer(ModelSerializer):
    class Meta:
        model = DeviceCommand
        fields = ["id", "kind", "payload", "status", "created_at", "expires_at"]


class CommandAckInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[("done", "已完成"), ("failed", "失败")])
    result = serializers.DictField(required=False, default=dict, help_text="执行结果，如出米克数、失败原因")


class CommandAckSerializer(ModelSerializer):
    class Meta:
        model = DeviceCommand
        fields = ["id", "kind", "payload", "status", "result", "created_at", "expires_at", "acked_at"]


class EventInputSerializer(serializers.Serializer):
    event_id = serializers.RegexField(
        r"^[A-Za-z0-9_.:-]{1,100}$",
        max_length=100,
        help_text="设备生成的唯一编号（字母、数字、_ . : -），重发同一事件请用同一编号",
    )
    type = serializers.CharField(max_length=50, help_text="事件类型，如 kiosk.measurement")
    occurred_at = DateTimeField(help_text="事件发生时间（ISO 8601，带时区）")
    payload = serializers.DictField(required=False, default=dict, help_text="按事件类型的内容")


class EventReceiptSerializer(ModelSerializer):
    status = serializers.SerializerMethodField(help_text="accepted：首次接收；duplicate：重复上报，已忽略")

    class Meta:
        model = DeviceEvent
        fields = ["event_id", "type", "occurred_at", "received_at", "status"]

    @extend_schema_field(serializers.ChoiceField(choices=["accepted", "duplicate"]))
    def get_status(self, event) -> str:
        return "accepted" if self.context.get("created") else "duplicate"


class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "DeviceCommunityRef"


class StaffDeviceSerializer(ModelSerializer):
    community = CommunityRefSerializer(allow_null=True)
    pending_commands = serializers.IntegerField(help_text="待执行指令数")
    offline_since = DateTimeField(allow_null=True, help_text="本次离线被发现的时间；在线时为空")

    class Meta:
        model = Device
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "status",
            "community",
            "location",
            "last_heartbeat_at",
            "firmware_version",
            "telemetry",
            "pending_commands",
            "offline_since",
        ]
