"""Serializers for visitors and the gate: residents' passes (the code only to the host), entries, the staff's
log, walk-ins and plate reads, and the gate's verify."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateTimeField, MaskedPhoneField
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer, validate_phone
from property.models import GateEntry, PlateRead, VisitorPass

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class RoomRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__", help_text="如 春江月小区 3幢2单元 502室")

    class Meta:
        ref_name = "GateRoomRef"


class DeviceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "GateDeviceRef"


def _host_of(request, visitor_pass) -> bool:
    return request.user.is_authenticated and visitor_pass.host_id == request.user.pk


class VisitorPassSerializer(ModelSerializer):
    """A pass in a list: the visitor's phone masked, no code."""

    estate = RefSerializer()
    room = RoomRefSerializer()
    visitor_phone = MaskedPhoneField()
    entries_left = serializers.IntegerField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = VisitorPass
        fields = [
            "id",
            "estate",
            "room",
            "visitor_name",
            "visitor_phone",
            "plate",
            "valid_from",
            "valid_until",
            "entries_allowed",
            "entries_used",
            "entries_left",
            "state",
            "revoked_at",
            "created_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=VisitorPass.State.choices))
    def get_state(self, visitor_pass) -> str:
        return visitor_pass.state_at(self.context.get("now") or timezone.now())


class VisitorPassDetailSerializer(VisitorPassSerializer):
    """The host's own pass: with the code to show as a QR and the visitor's phone in full."""

    code = serializers.CharField(help_text="通行码（二维码内容），只给邀请人看")
    visitor_phone = MaskedPhoneField(reveal=_host_of)

    class Meta(VisitorPassSerializer.Meta):
        fields = [*VisitorPassSerializer.Meta.fields, "code"]


class StaffVisitorPassSerializer(VisitorPassSerializer):
    host = UserRefSerializer()

    class Meta(VisitorPassSerializer.Meta):
        fields = [*VisitorPassSerializer.Meta.fields, "host"]


class VisitorPassInputSerializer(serializers.Serializer):
    room = serializers.IntegerField(help_text="我已认证的房屋 id（GET /api/v1/residents/households/）", **ID_RANGE)
    visitor_name = serializers.CharField(max_length=30)
    visitor_phone = serializers.CharField(max_length=11, validators=[validate_phone])
    valid_from = DateTimeField(help_text="生效时间，不早于现在")
    valid_until = DateTimeField(help_text="失效时间；有效期最长 7 天")
    entries = serializers.IntegerField(min_value=1, max_value=100, help_text="可通行次数（默认上限 10）")
    plate = serializers.CharField(max_length=20, required=False, default="", allow_blank=True, help_text="访客车牌")


class VisitorEntrySerializer(ModelSerializer):
    """One decision on one of my passes."""

    estate = RefSerializer()

    class Meta:
        model = GateEntry
        fields = ["id", "visitor_pass", "estate", "method", "result", "reason", "visitor_name", "plate", "at"]


class StaffGateEntrySerializer(ModelSerializer):
    estate = RefSerializer()
    room = RoomRefSerializer(allow_null=True)
    device = DeviceRefSerializer(allow_null=True)
    registered_by = UserRefSerializer(allow_null=True)
    visitor_phone = MaskedPhoneField()

    class Meta:
        model = GateEntry
        fields = [
            "id",
            "estate",
            "visitor_pass",
            "device",
            "method",
            "result",
            "reason",
            "visitor_name",
            "visitor_phone",
            "plate",
            "room",
            "note",
            "registered_by",
            "at",
        ]


class WalkInInputSerializer(serializers.Serializer):
    estate = serializers.IntegerField(help_text="本社区的小区 id", **ID_RANGE)
    visitor_name = serializers.CharField(max_length=30)
    visitor_phone = serializers.CharField(
        max_length=11, required=False, default="", allow_blank=True, validators=[validate_phone]
    )
    plate = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    room = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="受访房屋 id", **ID_RANGE)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True, help_text="来访事由")


class PlateReadSerializer(ModelSerializer):
    estate = RefSerializer()
    device = DeviceRefSerializer()

    class Meta:
        model = PlateRead
        fields = ["id", "estate", "device", "plate", "result", "reason", "entry", "permit", "at"]


class GateVerifyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text="扫到的通行码（二维码内容）")
    request_id = serializers.RegexField(
        r"^[A-Za-z0-9_.:-]{1,64}$",
        max_length=64,
        required=False,
        default="",
        help_text="设备为这次询问生成的编号；超时重试时用同一编号，不会多扣一次",
    )


class GateVerifySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=GateEntry.Result.choices, help_text="allowed：开闸；refused：不开")
    reason = serializers.ChoiceField(
        choices=GateEntry.Reason.choices,
        help_text="拒绝原因：expired, not_yet_valid, used_up, revoked, wrong_estate, unknown；放行时为空",
    )
    message = serializers.CharField(help_text="给屏幕显示的中文提示")
    entry = serializers.IntegerField(help_text="通行记录 id")
    entries_left = serializers.IntegerField(allow_null=True, help_text="放行后通行证剩余次数；未识别的码为空")
    replayed = serializers.BooleanField(help_text="同一 request_id 的重试：这是第一次的答复")
