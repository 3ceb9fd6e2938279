"""到家查: kiosk sessions, my vitals and their trends, my FHIR record, who read my vitals."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, views
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
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
from health.services.vitals import kiosk_session_start, vitals_read_by_family
from linli.api.views import ApiViewSet
from linli.devices.models import Device
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission

FHIR_LIMIT = 1000


class KioskSessionViewSet(ApiViewSet):
    schema_topic = "健康档案"
    serializer_class = KioskSessionSerializer

    @extend_schema(
        summary="Start measuring at a kiosk (after scanning its QR code)",
        description="The kiosk receives the session token as a device command and posts the measurements.",
        request=KioskSessionInputSerializer,
        responses={201: KioskSessionSerializer},
    )
    def create(self, request):
        data = self.validated(KioskSessionInputSerializer)
        device = Device.objects.filter(code=data["device"], kind=Device.Kind.HEALTH_KIOSK).first()
        if device is None:
            raise ValidationError({"device": ["没有这台健康自助机"]})
        session = kiosk_session_start(resident=request.user, device=device)
        return Response(KioskSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class VitalReadingViewSet(ActingViewMixin, mixins.ListModelMixin, ApiViewSet):
    """My own readings; with `?on_behalf_of=` (亲情账号, view_health) those of the elder I look after,
    each read written to the elder's access log. Nobody else's are ever listed here."""

    schema_topic = "健康档案"
    serializer_class = VitalReadingSerializer
    filterset_class = VitalReadingFilterSet
    acting_actions = {"list": Permission.VIEW_HEALTH, "trends": Permission.VIEW_HEALTH}

    def get_queryset(self):
        return selectors.vitals_of(self.beneficiary)

    def _log_family_read(self, records: int) -> None:
        if self.acting.on_behalf:
            vitals_read_by_family(resident=self.beneficiary, viewer=self.request.user, records=records)

    @extend_schema(summary="My vitals, newest first")
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log_family_read(len(response.data["results"]))
        return response

    @extend_schema(
        summary="Trend summary per type (same filters as the list)",
        responses=TrendSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=VitalReadingFilterSet)
    def trends(self, request):
        rows = selectors.vitals_trends(self.filter_queryset(self.get_queryset()))
        for row in rows:
            row["unit"] = UNITS[row["type"]]
        self._log_family_read(sum(row["count"] for row in rows))
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


class FhirJSONRenderer(JSONRenderer):
    """Lets a client ask for FHIR (`Accept: application/fhir+json`); errors still answer application/json."""

    media_type = "application/fhir+json"
    format = "fhir"


class FhirRecordView(ActingViewMixin, views.APIView):
    schema_topic = "健康档案"
    renderer_classes = [JSONRenderer, FhirJSONRenderer]
    acting_actions = {"get": Permission.VIEW_HEALTH}

    @extend_schema(
        summary="My vitals as a FHIR R4 Bundle of Observations (LOINC codes, UCUM units)",
        parameters=[
            OpenApiParameter("type", str, enum=VitalType.values),
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Measured at or after (ISO 8601)"),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="Measured at or before (ISO 8601)"),
            OpenApiParameter("format", exclude=True),  # ask with Accept: application/fhir+json
        ],
        responses={(200, fhir.CONTENT_TYPE): FhirBundleSerializer},
    )
    def get(self, request):
        filterset = VitalReadingFilterSet(request.query_params, queryset=selectors.vitals_of(self.beneficiary))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        readings = filterset.qs.order_by("-measured_at", "-id")
        rows = list(readings[:FHIR_LIMIT])
        total = len(rows) if len(rows) < FHIR_LIMIT else readings.count()
        if self.acting.on_behalf:
            vitals_read_by_family(
                resident=self.beneficiary, viewer=request.user, records=len(rows), purpose="family_record"
            )
        return Response(fhir.bundle(self.beneficiary, rows, total=total), content_type=fhir.CONTENT_TYPE)


@extend_schema_view(
    list=extend_schema(summary="Who read my vitals, and when"),
)
class AccessLogViewSet(ActingViewMixin, mixins.ListModelMixin, ApiViewSet):
    """Who read my vitals: doctors in a consultation, family members (purpose `family`, `family_record`).
    With `?on_behalf_of=` (view_health): the log of the elder I look after."""

    schema_topic = "健康档案"
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilterSet
    acting_actions = {"list": Permission.VIEW_HEALTH}

    def get_queryset(self):
        return selectors.access_log_of(self.beneficiary)
