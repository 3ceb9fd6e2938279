"""The device API — signed requests from kiosks, mills, cabinets, cameras and sensors (linli/devices/auth.py) —
and the staff's read-only view of their communities' devices."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.response import Response

from linli.accounts.models import Role
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet
from linli.devices import conf, selectors, services
from linli.devices.api import serializers as s
from linli.devices.auth import DeviceRateThrottle, DeviceSignatureAuthentication, IsDevice
from linli.devices.filters import StaffDeviceFilterSet
from linli.devices.models import DeviceCommand


class DeviceView:
    """Signed by a device (X-Device-Id, X-Timestamp, X-Nonce, X-Signature); `request.device` is the device."""

    authentication_classes = [DeviceSignatureAuthentication]
    permission_classes = [IsDevice]
    throttle_classes = [DeviceRateThrottle]


class HeartbeatView(DeviceView, ApiView):
    @extend_schema(
        summary="设备心跳",
        description="Marks the device online (ends an outage) and stores optional telemetry.",
        request=s.HeartbeatInputSerializer,
        responses={200: s.HeartbeatSerializer},
    )
    def post(self, request):
        values = self.validated(s.HeartbeatInputSerializer)
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


@extend_schema(summary="待执行指令", description="Pending commands of the signing device, oldest first.")
class CommandListView(DeviceView, generics.ListAPIView):
    serializer_class = s.CommandSerializer
    queryset = DeviceCommand.objects.none()  # the real one is per device (get_queryset)

    def get_queryset(self):
        return selectors.pending_commands(self.request.device).order_by("created_at", "id")


class CommandAckView(DeviceView, ApiView):
    @extend_schema(
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
        data = self.validated(s.CommandAckInputSerializer)
        command, replayed = services.device_command_ack(
            device=request.device,
            command_id=pk,
            status=data["status"],
            result=data["result"],
        )
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return Response(s.CommandAckSerializer(command).data, headers=headers)


class EventView(DeviceView, ApiView):
    @extend_schema(
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
        data = self.validated(s.EventInputSerializer)
        event, created = services.device_event_receive(device=request.device, **data)
        body = s.EventReceiptSerializer(event, context={"created": created}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(summary="本社区的智能终端", description="Devices of the staff's communities."),
    retrieve=extend_schema(summary="智能终端详情"),
)
class StaffDeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.StaffDeviceSerializer
    filterset_class = StaffDeviceFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.devices_for_staff(self.request.user)
