"""到家看: the resident's side and the doctor's side of consultations, and the resident's prescriptions."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from health import selectors
from health.api.serializers import (
    CloseInputSerializer,
    ConsultationInputSerializer,
    ConsultationSerializer,
    DispenseInputSerializer,
    DispenseSerializer,
    DoctorConsultationSerializer,
    MessageInputSerializer,
    MessageSerializer,
    PrescribeInputSerializer,
    PrescriptionSerializer,
    RateInputSerializer,
    VitalReadingSerializer,
)
from health.filters import ConsultationFilterSet, PrescriptionFilterSet, VitalReadingFilterSet
from health.models import Consultation, Dispense, VitalReading
from health.services import consultations as services
from health.services.dispensing import prescription_dispense
from health.services.vitals import ensure_vitals_shared, vitals_read_for_consultation
from linli.accounts.models import Role
from linli.api.idempotency import idempotent
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission


class _MessagesMixin:
    """GET/POST …/{id}/messages/ for whichever side the viewset serves."""

    def _messages(self, request):
        consultation = self.get_object()
        if request.method == "POST":
            data = self.validated(MessageInputSerializer)
            message = services.message_create(consultation=consultation, sender=request.user, **data)
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.consultation_messages(consultation))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="My consultations"),
    retrieve=extend_schema(summary="One of my consultations"),
)
class ConsultationViewSet(
    ActingViewMixin, _MessagesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """A resident's own consultations; with `?on_behalf_of=` (亲情账号, act_for) those of the elder I act for."""

    schema_topic = "问诊"
    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilterSet
    acting_actions = dict.fromkeys(["list", "retrieve", "create", "close"], Permission.ACT_FOR)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Consultation.objects.none()
        return selectors.consultations_of_resident(self.beneficiary)

    @extend_schema(
        summary="Ask a doctor (waits for a doctor of the department to accept)",
        request=ConsultationInputSerializer,
        responses={201: ConsultationSerializer},
    )
    def create(self, request):
        values = self.validated(ConsultationInputSerializer)
        consultation = services.consultation_create(
            resident=self.beneficiary,
            acted_by=self.acting.actor_or_none,
            department=values["department"],
            symptoms=values["symptoms"],
            photo_ids=values["photos"],
            share_vitals=values["share_vitals"],
        )
        consultation = self.get_queryset().get(pk=consultation.pk)
        return Response(self.get_serializer(consultation).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="Messages of my consultation", responses=MessageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Write to the doctor",
        request=MessageInputSerializer,
        responses={201: MessageSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        return self._messages(request)

    @extend_schema(
        summary="Close my consultation",
        request=CloseInputSerializer,
        responses=ConsultationSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.validated(CloseInputSerializer)
        consultation = services.consultation_close(
            consultation=self.get_object(),
            actor=self.beneficiary,
            note=data["note"],
            acted_by=self.acting.actor_or_none,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        summary="Rate a closed consultation (once)",
        request=RateInputSerializer,
        responses=ConsultationSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        data = self.validated(RateInputSerializer)
        consultation = services.consultation_rate(consultation=self.get_object(), resident=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Consultation queue (doctor)"),
    retrieve=extend_schema(summary="One consultation (doctor)"),
)
class DoctorConsultationViewSet(_MessagesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A doctor's queue: waiting consultations of the departments they serve, and their own."""

    schema_topic = "问诊"
    serializer_class = DoctorConsultationSerializer
    filterset_class = ConsultationFilterSet
    permission_classes = [has_role(Role.DOCTOR)]

    def get_queryset(self):
        if self.action == "vitals":
            # That action lists readings (its filters are VitalReading's); it looks the consultation up itself.
            return VitalReading.objects.none()
        return selectors.consultations_for_doctor(self.request.user)

    @extend_schema(
        summary="Accept a waiting consultation (the first doctor wins; later ones get 409 already_accepted)",
        request=None,
        responses=DoctorConsultationSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        consultation = services.consultation_accept(consultation=self.get_object(), doctor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="Messages of a consultation",
        responses=MessageSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply to the resident",
        request=MessageInputSerializer,
        responses={201: MessageSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        return self._messages(request)

    @extend_schema(
        summary="Prescribe (once per consultation)",
        request=PrescribeInputSerializer,
        responses={201: PrescriptionSerializer},
    )
    @action(detail=True, methods=["post"])
    def prescribe(self, request, pk=None):
        data = self.validated(PrescribeInputSerializer)
        prescription = services.prescription_create(consultation=self.get_object(), doctor=request.user, **data)
        prescription = selectors.prescriptions_of_resident(prescription.resident).get(pk=prescription.pk)
        return Response(PrescriptionSerializer(prescription).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a consultation",
        request=CloseInputSerializer,
        responses=DoctorConsultationSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.validated(CloseInputSerializer)
        consultation = services.consultation_close(
            consultation=self.get_object(), actor=request.user, note=data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        summary="The patient's vitals (only while the consultation is open and shared; every read is logged)",
        responses=VitalReadingSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=VitalReadingFilterSet)
    def vitals(self, request, pk=None):
        # Not self.get_object(): this action's filters are for the readings, not the consultation.
        consultation = get_object_or_404(selectors.consultations_for_doctor(request.user), pk=pk)
        ensure_vitals_shared(consultation=consultation, doctor=request.user)
        page = self.paginate_queryset(self.filter_queryset(selectors.vitals_of(consultation.resident)))
        rows = vitals_read_for_consultation(consultation=consultation, doctor=request.user, readings=page)
        return self.get_paginated_response(VitalReadingSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="My prescriptions"),
    retrieve=extend_schema(summary="One of my prescriptions"),
)
class PrescriptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A resident's prescriptions."""

    schema_topic = "问诊"
    serializer_class = PrescriptionSerializer
    filterset_class = PrescriptionFilterSet

    def get_queryset(self):
        return selectors.prescriptions_of_resident(self.request.user)

    @extend_schema(
        summary="Buy my prescription at a drug vending machine (once; accepts Idempotency-Key)",
        description=(
            "`payment_method=insurance_account`: the covered drugs (`covered_fen`) are charged to the "
            "medical-insurance personal account and the rest to WeChat Pay, in one mixed order "
            "(cash only, insurance only or both); "
            "`wechat_pay`: all in cash. The machine must be an online drug vending machine of your community "
            "(400 `validation_error` on `device`, 409 `device_unavailable` when it is offline).\n\n"
            "Paid in full at once (insurance only) the answer is `dispensing` and the machine has its `dispense` "
            "command; otherwise it is `pending_payment` with `pay_params` for the cash part. The machine's ack "
            "makes it `dispensed`; a failed or unanswered machine refunds both parts (`failed`) and the prescription "
            "may be bought again while valid.\n\n"
            "409: `already_dispensed` (being bought or bought already), `prescription_expired`, "
            "`insurance_balance_insufficient` (the personal account cannot pay the covered part), "
            "`idempotency_conflict`. A prescription is dispensed at most once."
        ),
        request=DispenseInputSerializer,
        responses={201: DispenseSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def dispense(self, request, pk=None):
        data = self.validated(DispenseInputSerializer)
        dispense = prescription_dispense(
            prescription=self.get_object(),
            resident=request.user,
            device_code=data["device"],
            payment_method=data["payment_method"],
        )
        dispense = (
            Dispense.objects.select_related("device", "payment_intent")
            .prefetch_related("payment_intent__parts", "payment_intent__refunds")
            .get(pk=dispense.pk)
        )
        return Response(DispenseSerializer(dispense).data, status=status.HTTP_201_CREATED)
