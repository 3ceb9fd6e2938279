"""Geography, liaison stations, duty shifts and dispatch offers under /staff/enforcement/: the
command centre's map and roster, officers' offers and positions, liaison officers' reports."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from enforcement import selectors
from enforcement.api import serializers as s
from enforcement.api.views import IsEnforcementStaff, Viewset
from enforcement.filters import (
    BoundaryFilterSet,
    LiaisonReportFilterSet,
    OfferFilterSet,
    ShiftFilterSet,
    StationFilterSet,
)
from enforcement.models import LiaisonStation, Team
from enforcement.services import dispatch as dispatch_services
from enforcement.services import liaison as liaison_services
from enforcement.services._common import field_error
from linli.accounts.models import Role, User
from linli.api.errors import NotFoundError
from linli.api.permissions import has_role
from linli.api.views import ApiView

IsLiaisonOfficer = has_role(Role.LIAISON_OFFICER, scope="enforcement.LiaisonStation")

_NOT_MINE = OpenApiResponse(description="Not found, or not yours to see (`not_found`)")


def _ref(obj):
    return {"id": obj.pk, "name": str(obj.name)} if obj is not None else None


# --- geography ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Township, village and squad boundaries (without the polygons)"),
    retrieve=extend_schema(summary="One boundary with its GeoJSON polygon"),
)
class BoundaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "区划与值班"
    permission_classes = [IsEnforcementStaff]
    queryset = selectors.boundaries()
    filterset_class = BoundaryFilterSet

    def get_serializer_class(self):
        return s.BoundarySerializer if self.action == "list" else s.BoundaryDetailSerializer

    @extend_schema(
        summary="Which township, village and team a point belongs to (and where a report would go)",
        description="A computation, not a change: POST so the point stays out of URLs and logs.",
        request=s.LocateQuerySerializer,
        responses={200: s.LocateSerializer},
    )
    @action(detail=False, methods=["post"])
    def locate(self, request):
        data = self.validated(s.LocateQuerySerializer)
        lat, lng = data["lat"], data["lng"]
        township = selectors.township_at(lat, lng)
        village = selectors.village_at(lat, lng)
        team = None
        if township is not None and data["category"] is not None:
            team = selectors.responsible_team(
                matter=data["category"].matter, street_id=township.pk, day=timezone.localdate(), lat=lat, lng=lng
            )
        return self.respond(
            s.LocateSerializer, {"township": _ref(township), "village": _ref(village), "team": _ref(team)}
        )


@extend_schema_view(
    list=extend_schema(summary="Village liaison stations (liaison officers: their own)"),
    retrieve=extend_schema(summary="One liaison station"),
)
class StationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "区划与值班"
    permission_classes = [IsEnforcementStaff | IsLiaisonOfficer]
    serializer_class = s.StationSerializer
    filterset_class = StationFilterSet

    def get_queryset(self):
        user = self.request.user
        if selectors.is_team_member(user):
            return selectors.stations()
        return selectors.stations().filter(pk__in=selectors.station_ids_of(user))


# --- liaison officers' reports -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Reports filed through my liaison stations"),
    retrieve=extend_schema(
        summary="One of my stations' reports with its timeline",
        responses={200: s.LiaisonReportDetailSerializer, 404: _NOT_MINE},
    ),
)
class LiaisonReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "村联络站"
    permission_classes = [IsLiaisonOfficer]
    filterset_class = LiaisonReportFilterSet

    def get_queryset(self):
        queryset = selectors.liaison_reports_for(self.request.user)
        return queryset if self.action == "list" else selectors.liaison_report_detail(queryset)

    def get_serializer_class(self):
        return s.LiaisonReportSerializer if self.action == "list" else s.LiaisonReportDetailSerializer

    def _detail(self, report, status_code=status.HTTP_200_OK):
        queryset = selectors.liaison_report_detail(selectors.liaison_reports_for(self.request.user))
        return self.respond(s.LiaisonReportDetailSerializer, queryset.get(pk=report.pk), status_code)

    @extend_schema(
        summary="File a report for my station's village (routed like any other report)",
        request=s.LiaisonReportInputSerializer,
        responses={201: s.LiaisonReportDetailSerializer, 404: _NOT_MINE},
    )
    def create(self, request):
        data = dict(self.validated(s.LiaisonReportInputSerializer))
        station = LiaisonStation.objects.filter(pk=data.pop("station")).first()
        if station is None:
            raise NotFoundError("联络站不存在")
        report = liaison_services.report_file_by_liaison(actor=request.user, station=station, **data)
        return self._detail(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add what I learnt on the ground to the report's timeline (the squad is told)",
        request=s.LiaisonNoteInputSerializer,
        responses={201: s.LiaisonReportDetailSerializer, 404: _NOT_MINE},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        data = self.validated(s.LiaisonNoteInputSerializer)
        report = self.get_object()
        liaison_services.liaison_note(actor=request.user, report=report, note=data["note"])
        return self._detail(report, status.HTTP_201_CREATED)


# --- duty: shifts, positions, offers -----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Duty shifts (dispatchers: all squads; officers: their squads')"),
    retrieve=extend_schema(summary="One shift", responses={200: s.ShiftSerializer, 404: _NOT_MINE}),
)
class ShiftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "区划与值班"
    permission_classes = [IsEnforcementStaff]
    serializer_class = s.ShiftSerializer
    filterset_class = ShiftFilterSet

    def get_queryset(self):
        return selectors.shifts_for_staff(self.request.user)

    @extend_schema(
        summary="Put officers of a squad on duty — dispatchers, or the squad's leader",
        request=s.ShiftInputSerializer,
        responses={201: s.ShiftSerializer},
    )
    def create(self, request):
        data = dict(self.validated(s.ShiftInputSerializer))
        team = Team.objects.filter(pk=data.pop("team"), kind=Team.Kind.TOWNSHIP_TEAM, is_active=True).first()
        if team is None:
            raise field_error("team", "须为启用的乡镇执法中队")
        ids = data.pop("officers")
        officers = list(User.objects.filter(pk__in=ids))
        if len(officers) != len(set(ids)):
            raise field_error("officers", "值班人员须为本中队执法人员")
        shift = dispatch_services.shift_create(actor=request.user, team=team, officers=officers, **data)
        return self.respond(s.ShiftSerializer, selectors.shifts_for_staff(request.user).get(pk=shift.pk), 201)


class PositionView(ApiView):
    schema_topic = "区划与值班"
    permission_classes = [IsEnforcementStaff]

    @extend_schema(
        summary="Post my current position (the officer app): duty dispatch offers reports to the nearest",
        request=s.PositionInputSerializer,
        responses={200: s.PositionSerializer},
    )
    def post(self, request):
        data = self.validated(s.PositionInputSerializer)
        position = dispatch_services.officer_position_set(actor=request.user, **data)
        return self.respond(s.PositionSerializer, position)


@extend_schema_view(
    list=extend_schema(summary="Duty offers (mine and my squads'; dispatchers: all)"),
    retrieve=extend_schema(summary="One offer", responses={200: s.OfferSerializer, 404: _NOT_MINE}),
)
class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "区划与值班"
    permission_classes = [IsEnforcementStaff]
    serializer_class = s.OfferSerializer
    filterset_class = OfferFilterSet

    def get_queryset(self):
        return selectors.offers_for_staff(self.request.user)

    def _fresh(self, offer):
        return self.respond(s.OfferSerializer, selectors.offers_for_staff(self.request.user).get(pk=offer.pk))

    @extend_schema(
        summary="Accept the offer (受理): first wins; late or taken → 409 offer_closed",
        request=s.NoteInputSerializer,
        responses={200: s.OfferSerializer, 404: _NOT_MINE},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        offer = dispatch_services.offer_accept(offer=self.get_object(), actor=request.user, **data)
        return self._fresh(offer)

    @extend_schema(
        summary="Decline the offer with a reason: the next nearest on-duty officer gets it",
        request=s.DeclineInputSerializer,
        responses={200: s.OfferSerializer, 404: _NOT_MINE},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = self.validated(s.DeclineInputSerializer)
        offer = dispatch_services.offer_decline(offer=self.get_object(), actor=request.user, **data)
        return self._fresh(offer)
