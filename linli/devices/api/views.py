"""The device API — signed requests from kiosks, mills, cabinets, cameras and sensors (linli/devices/auth.py) —
and the staff's read-only view of their communities' devices."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from linli.accounts.models import Role
from linli.accounts.selectors import has_role
from linli.api.schema import ErrorSerializer
from linli.devices import conf, selectors, services
from linli.devices.api import serializers as s
from linli.devices.auth import DeviceRateThrottle, DeviceSignatureAuthentication, IsDevice
from linli.devices.filters import StaffDeviceFilterSet
from linli.devices.models import DeviceCommand

TAG = ["devices"]


class DeviceView:
    """Signed by a device (X-Device-Id, X-Timestamp, X-Nonce, X-Signature); `request.device` is the device."""

    authentication_classes = [DeviceSignatureAuthentication]
    permission_classes = [IsDevice]
    throttle_classes = [DeviceRateThrottle]


class HeartbeatView(DeviceView, APIView):
    @extend_schema(
        tags=TAG,
        summary="设备心跳",
        description="Marks the device online (ends an outage) and stores optional telemetry.",
        request=s.HeartbeatInputSerializer,
        responses={200: s.HeartbeatSerializer},
    )
    def post(self, request):
        data = s.HeartbeatInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        telemetry = None
        if {"battery_pct", "signal_dbm", "telemetry"} & values.keys():
            telemetry = {**values.get("telemetry", {})}
            for key in ("battery_pct", "signal_dbm"):
                if key in values:
                    telemetry[key] = values[key]
        device = services.device_heartbeat(
            device=request.device, firmware_version=values.get("firmware_version"), telemetry=telemetry
        )
        body = {
            "code": device.code,
            "status": device.status,
            "last_heartbeat_at": device.last_heartbeat_at,
            "server_time": timezone.now(),
            "heartbeat_interval_seconds": conf.heartbeat_interval(device.kind),
            "pending_commands": selectors.pending_commands(device).count(),
        }
        return Response(s.HeartbeatSerializer(body).data)


@extend_schema(tags=TAG, summary="待执行指令", description="Pending commands of the signing device, oldest first.")
class CommandListView(DeviceView, generics.ListAPIView):
    serializer_class = s.CommandSerializer
    queryset = DeviceCommand.objects.none()  # the real one is per device (get_queryset)

    def get_queryset(self):
        return selectors.pending_commands(self.request.device).order_by("created_at", "id")


class CommandAckView(DeviceView, APIView):
    @extend_schema(
        tags=TAG,
        summary="指令回执",
        description=(
            "Report a command done or failed. Idempotent: the same status again replays "
            "(header Idempotent-Replayed: true); another status is 409 command_already_acked, "
            "an expired command 409 command_expired; another device's command is 404."
        ),
        request=s.CommandAckInputSerializer,
        responses={200: s.CommandAckSerializer},
    )
    def post(self, request, pk: int):
        data = s.CommandAckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        command, replayed = services.device_command_ack(
            device=request.device,
            command_id=pk,
            status=data.validated_data["status"],
            result=data.validated_data["result"],
        )
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return Response(s.CommandAckSerializer(command).data, headers=headers)


class EventView(DeviceView, APIView):
    @extend_schema(
        tags=TAG,
        summary="上报事件",
        description=(
            "A typed event for the scenario app that handles `type` (400 unknown_event_type lists the known "
            "types; event_type_not_allowed when this kind of device may not post it). The payload is "
            "validated by the handler's schema. 201 when stored, 200 when the same event_id was seen "
            "before (nothing runs twice); the same event_id with other content is 409 event_id_conflict."
        ),
        request=s.EventInputSerializer,
        responses={
            201: s.EventReceiptSerializer,
            200: OpenApiResponse(s.EventReceiptSerializer, description="Duplicate: already received"),
            404: OpenApiResponse(ErrorSerializer, description="The handler found nothing the event refers to"),
        },
    )
    def post(self, request):
        data = s.EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event, created = services.device_event_receive(device=request.device, **data.validated_data)
        body = s.EventReceiptSerializer(event, context={"created": created}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class IsCommunityStaff(permissions.BasePermission):
    """Community staff somewhere; the queryset scopes to their communities (others' devices are 404)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and has_role(request.user, Role.COMMUNITY_STAFF))


@extend_schema_view(
    list=extend_schema(tags=["staff"], summary="本社区的智能终端", description="Devices of the staff's communities."),
    retrieve=extend_schema(tags=["staff"], summary="智能终端详情"),
)
class StaffDeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.StaffDeviceSerializer
    filterset_class = StaffDeviceFilterSet
    permission_classes = [IsCommunityStaff]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.devices_for_staff(self.request.user)
