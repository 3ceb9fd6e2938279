"""Visitors and the gate over HTTP: residents' passes and their visitors' entries (/property/), the staff's
entry log, walk-ins, passes and plate reads (/staff/property/), and the gate's verify (/devices/gate/)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import field_error
from linli.api.permissions import has_role
from linli.api.views import ApiView, ApiViewSet
from linli.devices.api.views import DeviceView
from linli.regions.models import Room
from property.api.serializers import gate as s
from property.filters import (
    PlateReadFilterSet,
    StaffGateEntryFilterSet,
    StaffVisitorPassFilterSet,
    VisitorEntryFilterSet,
    VisitorPassFilterSet,
)
from property.selectors import gate as selectors
from property.services import gate as services

STAFF = has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)


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
        return s.VisitorPassDetailSerializer if self.action != "list" else s.VisitorPassSerializer

    @extend_schema(
        summary="Invite a visitor: a pass for one of my households' estates",
        description=(
            "Only a verified resident (403 not_verified_resident), for a room they live in. The window may not "
            "start in the past or more than 7 days ahead and lasts at most 7 days; entries 1–10 (all configurable). "
            "409 limit_reached when I already hold 20 passes that have not ended."
        ),
        request=s.VisitorPassInputSerializer,
        responses={201: s.VisitorPassDetailSerializer},
    )
    def create(self, request):
        data = self.validated(s.VisitorPassInputSerializer)
        room = Room.objects.filter(pk=data.pop("room")).first()
        if room is None:
            raise field_error("room", "不是您已认证的房屋")
        visitor_pass = services.visitor_pass_create(host=request.user, room=room, **data)
        return self.respond(s.VisitorPassDetailSerializer, visitor_pass, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke: the code opens nothing from now on",
        description="409 pass_revoked when it already is.",
        request=None,
        responses={200: s.VisitorPassDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        visitor_pass = services.visitor_pass_revoke(visitor_pass=self.get_object(), by=request.user)
        return self.respond(s.VisitorPassDetailSerializer, visitor_pass)


@extend_schema_view(
    list=extend_schema(summary="My visitors' entries: every gate decision on my passes"),
    retrieve=extend_schema(summary="One entry on one of my passes"),
)
class VisitorEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.VisitorEntrySerializer
    filterset_class = VisitorEntryFilterSet

    def get_queryset(self):
        return selectors.visitor_entries_of(self.request.user)


# --- views: staff ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Visitor passes of my communities (no codes)"),
    retrieve=extend_schema(summary="One visitor pass of my communities"),
)
class StaffVisitorPassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.StaffVisitorPassSerializer
    filterset_class = StaffVisitorPassFilterSet
    permission_classes = [STAFF]

    def get_queryset(self):
        return selectors.visitor_passes_for_staff(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="The gate's entry log of my communities (codes, plates, walk-ins)"),
    retrieve=extend_schema(summary="One gate entry"),
)
class StaffGateEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.StaffGateEntrySerializer
    filterset_class = StaffGateEntryFilterSet
    permission_classes = [STAFF]

    def get_queryset(self):
        return selectors.gate_entries_for_staff(self.request.user)

    @extend_schema(
        summary="Register a walk-in visitor (人工登记): an allowed entry in the same log",
        request=s.WalkInInputSerializer,
        responses={201: s.StaffGateEntrySerializer},
    )
    def create(self, request):
        data = self.validated(s.WalkInInputSerializer)
        estate = selectors.staff_estates(request.user).filter(pk=data.pop("estate")).first()
        if estate is None:
            raise field_error("estate", "小区不存在")
        room_id = data.pop("room")
        room = Room.objects.filter(pk=room_id, building__estate=estate).first() if room_id else None
        if room_id and room is None:
            raise field_error("room", "该房屋不在此小区")
        entry = services.walk_in_register(staff=request.user, estate=estate, room=room, **data)
        return self.respond(
            s.StaffGateEntrySerializer,
            selectors.gate_entries_for_staff(request.user).get(pk=entry.pk),
            status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Plates the gate cameras of my communities read, and whether they opened"),
    retrieve=extend_schema(summary="One plate read"),
)
class StaffPlateReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.PlateReadSerializer
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
        request=s.GateVerifyInputSerializer,
        responses={200: s.GateVerifySerializer},
    )
    def post(self, request):
        data = self.validated(s.GateVerifyInputSerializer)
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
        return self.respond(s.GateVerifySerializer, body)
