"""到家查: kiosk sessions, my vitals and their trends, my FHIR record, who read my vitals."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, views, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from health import fhir, selectors
from health.api.serializers import (
    UNITS,
    AccessLogSerializer,
    KioskSessionInputSerializer,
    KioskSessionSerializer,
    TrendSerializer,
    VitalReadingSerializer,
)
from health.filters import AccessLogFilterSet, VitalReadingFilterSet
from health.models import VitalType
from health.services.vitals import kiosk_session_start
from linli.devices.models import Device

FHIR_LIMIT = 1000


class KioskSessionViewSet(viewsets.GenericViewSet):
    serializer_class = KioskSessionSerializer

    @extend_schema(
        summary="Start measuring at a kiosk (after scanning its QR code)",
        description="The kiosk receives the session token as a device command and posts the measurements.",
        request=KioskSessionInputSerializer,
        responses={201: KioskSessionSerializer},
        tags=["health"],
    )
    def create(self, request):
        data = KioskSessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device = Device.objects.filter(code=data.validated_data["device"], kind=Device.Kind.HEALTH_KIOSK).first()
        if device is None:
            raise ValidationError({"device": ["没有这台健康自助机"]})
        session = kiosk_session_start(resident=request.user, device=device)
        return Response(KioskSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class VitalReadingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My own readings. Nobody else's are ever listed here."""

    serializer_class = VitalReadingSerializer
    filterset_class = VitalReadingFilterSet

    def get_queryset(self):
        return selectors.vitals_of(self.request.user)

    @extend_schema(summary="My vitals, newest first", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Trend summary per type (same filters as the list)",
        responses=TrendSerializer(many=True),
        tags=["health"],
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def trends(self, request):
        rows = selectors.vitals_trends(self.filter_queryset(self.get_queryset()))
        for row in rows:
            row["unit"] = UNITS[row["type"]]
        return Response(TrendSerializer(rows, many=True).data)


class FhirResourceSerializer(serializers.Serializer):
    resourceType = serializers.CharField()
    id = serializers.CharField()


class FhirEntrySerializer(serializers.Serializer):
    fullUrl = serializers.CharField()
    resource = serializers.DictField(help_text="A FHIR R4 Patient, Device or Observation")
    search = serializers.DictField(required=False)


class FhirBundleSerializer(serializers.Serializer):
    resourceType = serializers.CharField(help_text="Bundle")
    id = serializers.CharField()
    meta = serializers.DictField()
    type = serializers.CharField(help_text="searchset")
    total = serializers.IntegerField(help_text="Observations matching; at most 1000 newest are included")
    entry = FhirEntrySerializer(many=True)


class FhirRecordView(views.APIView):
    @extend_schema(
        summary="My vitals as a FHIR R4 Bundle of Observations (LOINC codes, UCUM units)",
        parameters=[
            OpenApiParameter("type", str, enum=VitalType.values),
            OpenApiParameter("from", str, description="Measured at or after (ISO 8601)"),
            OpenApiParameter("to", str, description="Measured at or before (ISO 8601)"),
        ],
        responses=FhirBundleSerializer,
        tags=["health"],
    )
    def get(self, request):
        filterset = VitalReadingFilterSet(request.query_params, queryset=selectors.vitals_of(request.user))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        readings = filterset.qs.order_by("-measured_at", "-id")
        rows = list(readings[:FHIR_LIMIT])
        total = len(rows) if len(rows) < FHIR_LIMIT else readings.count()
        return Response(fhir.bundle(request.user, rows, total=total))


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilterSet

    def get_queryset(self):
        return selectors.access_log_of(self.request.user)

    @extend_schema(summary="Who read my vitals, and when", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
