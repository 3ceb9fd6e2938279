"""Visitors and the gate over HTTP: residents' passes and their visitors' entries (/property/), the staff's
entry log, walk-ins, passes and plate reads (/staff/property/), and the gate's verify (/devices/gate/)."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import field_error
from linli.api.fields import DateTimeField, MaskedPhoneField
from linli.api.filters import DateFilter
from linli.api.permissions import has_role
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer, validate_phone
from linli.api.views import ApiView, ApiViewSet
from linli.devices.api.views import DeviceView
from linli.regions.models import Room
from property.models import GateEntry, PlateRead, VisitorPass
from property.selectors import gate as selectors
from property.services import gate as services

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}
STAFF = has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)


# --- serializers --------------------------------------------------------------------------------


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


# --- filters ------------------------------------------------------------------------------------


class VisitorPassFilterSet(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open", help_text="true: 仍可使用（未撤销、未过期、有剩余次数）")

    class Meta:
        model = VisitorPass
        fields = ["open"]

    def filter_open(self, queryset, name, value):
        usable = Q(revoked_at__isnull=True, valid_until__gt=timezone.now(), entries_used__lt=F("entries_allowed"))
        return queryset.filter(usable) if value else queryset.exclude(usable)


class StaffVisitorPassFilterSet(VisitorPassFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="访客姓名或车牌包含")

    class Meta:
        model = VisitorPass
        fields = ["open", "estate", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(visitor_name__icontains=value) | Q(plate__icontains=value.upper()))


class _DayRangeFilterSet(django_filters.FilterSet):
    date_from = DateFilter(field_name="at", lookup_expr="date__gte", help_text="从这天起（含，YYYY-MM-DD）")
    date_to = DateFilter(field_name="at", lookup_expr="date__lte", help_text="到这天止（含）")


class VisitorEntryFilterSet(_DayRangeFilterSet):
    visitor_pass = django_filters.NumberFilter(field_name="visitor_pass_id", help_text="Pass id", **ID_RANGE)

    class Meta:
        model = GateEntry
        fields = ["visitor_pass", "result", "date_from", "date_to"]


class StaffGateEntryFilterSet(_DayRangeFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    search = django_filters.CharFilter(method="filter_search", help_text="访客姓名或车牌包含")

    class Meta:
        model = GateEntry
        fields = ["estate", "method", "result", "reason", "date_from", "date_to", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(visitor_name__icontains=value) | Q(plate__icontains=value.upper()))


class PlateReadFilterSet(_DayRangeFilterSet):
    estate = django_filters.NumberFilter(field_name="estate_id", help_text="Estate id", **ID_RANGE)
    plate = django_filters.CharFilter(method="filter_plate", help_text="车牌包含")

    class Meta:
        model = PlateRead
        fields = ["estate", "result", "reason", "date_from", "date_to", "plate"]

    def filter_plate(self, queryset, name, value):
        return queryset.filter(plate__icontains=value.upper())


# --- views: residents -----------------------------------------------------------------------------


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "访客"


@extend_schema_view(
    list=extend_schema(summary="My visitor passes, newest first", description="The visitor's phone is masked."),
    retrieve=extend_schema(summary="One of my visitor passes, with its code (the QR payload)"),
)
class VisitorPassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = VisitorPassFilterSet

    def get_queryset(self):
        return selectors.visitor_passes_of(self.request.user)

    def get_serializer_class(self):
        return VisitorPassDetailSerializer if self.action != "list" else VisitorPassSerializer

    @extend_schema(
        summary="Invite a visitor: a pass for one of my households' estates",
        description=(
            "Only a verified resident (403 not_verified_resident), for a room they live in. The window may not "
            "start in the past or more than 7 days ahead and lasts at most 7 days; entries 1–10 (all configurable). "
            "409 limit_reached when I already hold 20 passes that have not ended."
        ),
        request=VisitorPassInputSerializer,
        responses={201: VisitorPassDetailSerializer},
    )
    def create(self, request):
        data = self.validated(VisitorPassInputSerializer)
        room = Room.objects.filter(pk=data.pop("room")).first()
        if room is None:
            raise field_error("room", "不是您已认证的房屋")
        visitor_pass = services.visitor_pass_create(host=request.user, room=room, **data)
        return self.respond(VisitorPassDetailSerializer, visitor_pass, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke: the code opens nothing from now on",
        description="409 pass_revoked when it already is.",
        request=None,
        responses={200: VisitorPassDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        visitor_pass = services.visitor_pass_revoke(visitor_pass=self.get_object(), by=request.user)
        return self.respond(VisitorPassDetailSerializer, visitor_pass)


@extend_schema_view(
    list=extend_schema(summary="My visitors' entries: every gate decision on my passes"),
    retrieve=extend_schema(summary="One entry on one of my passes"),
)
class VisitorEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = VisitorEntrySerializer
    filterset_class = VisitorEntryFilterSet

    def get_queryset(self):
        return selectors.visitor_entries_of(self.request.user)


# --- views: staff ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Visitor passes of my communities (no codes)"),
    retrieve=extend_schema(summary="One visitor pass of my communities"),
)
class StaffVisitorPassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = StaffVisitorPassSerializer
    filterset_class = StaffVisitorPassFilterSet
    permission_classes = [STAFF]

    def get_queryset(self):
        return selectors.visitor_passes_for_staff(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="The gate's entry log of my communities (codes, plates, walk-ins)"),
    retrieve=extend_schema(summary="One gate entry"),
)
class StaffGateEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = StaffGateEntrySerializer
    filterset_class = StaffGateEntryFilterSet
    permission_classes = [STAFF]

    def get_queryset(self):
        return selectors.gate_entries_for_staff(self.request.user)

    @extend_schema(
        summary="Register a walk-in visitor (人工登记): an allowed entry in the same log",
        request=WalkInInputSerializer,
        responses={201: StaffGateEntrySerializer},
    )
    def create(self, request):
        data = self.validated(WalkInInputSerializer)
        estate = selectors.staff_estates(request.user).filter(pk=data.pop("estate")).first()
        if estate is None:
            raise field_error("estate", "小区不存在")
        room_id = data.pop("room")
        room = Room.objects.filter(pk=room_id, building__estate=estate).first() if room_id else None
        if room_id and room is None:
            raise field_error("room", "该房屋不在此小区")
        entry = services.walk_in_register(staff=request.user, estate=estate, room=room, **data)
        return self.respond(
            StaffGateEntrySerializer,
            selectors.gate_entries_for_staff(request.user).get(pk=entry.pk),
            status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Plates the gate cameras of my communities read, and whether they opened"),
    retrieve=extend_schema(summary="One plate read"),
)
class StaffPlateReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = PlateReadSerializer
    filterset_class = PlateReadFilterSet
    permission_classes = [STAFF]

    def get_queryset(self):
        return selectors.plate_reads_for_staff(self.request.user)


# --- the gate device ------------------------------------------------------------------------------


class GateVerifyView(DeviceView, ApiView):
    schema_topic = "门禁"

    @extend_schema(
        summary="门禁验码: does this visitor code open this gate?",
        description=(
            "Signed by a `gate` device bound to an estate (403 device_kind_not_allowed for other kinds, 409 "
            "gate_not_configured when unbound). Always 200 with `allowed` or `refused` and a reason; an allowed "
            "answer has used one entry of the pass. Every answer is in the entry log. A retry with the same "
            "`request_id` replays the first answer."
        ),
        request=GateVerifyInputSerializer,
        responses={200: GateVerifySerializer},
    )
    def post(self, request):
        data = self.validated(GateVerifyInputSerializer)
        decision = services.gate_verify(device=request.device, code=data["code"], request_id=data["request_id"])
        entry = decision.entry
        visitor_pass = entry.visitor_pass
        body = {
            "result": entry.result,
            "reason": entry.reason,
            "message": decision.message,
            "entry": entry.pk,
            "entries_left": visitor_pass.entries_left if visitor_pass is not None else None,
            "replayed": decision.replayed,
        }
        return self.respond(GateVerifySerializer, body)
