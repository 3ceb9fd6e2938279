"""到家约: open slots, my appointments, booking and cancelling."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from health import selectors
from health.api.serializers import AppointmentInputSerializer, AppointmentSerializer, SlotSerializer
from health.filters import AppointmentFilterSet, SlotFilterSet
from health.models import Appointment
from health.services import appointments as services
from linli.api.views import ApiViewSet
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission


@extend_schema_view(
    list=extend_schema(summary="Bookable slots from today on (号源)"),
)
class SlotViewSet(mixins.ListModelMixin, ApiViewSet):
    schema_topic = "预约"
    serializer_class = SlotSerializer
    filterset_class = SlotFilterSet

    def get_queryset(self):
        return selectors.slots_open()


@extend_schema_view(
    list=extend_schema(summary="My appointments"),
    retrieve=extend_schema(summary="One of my appointments"),
)
class AppointmentViewSet(ActingViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My appointments; with `?on_behalf_of=` (亲情账号, act_for) those of the elder I act for."""

    schema_topic = "预约"
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilterSet
    acting_actions = dict.fromkeys(["list", "retrieve", "create", "cancel"], Permission.ACT_FOR)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return selectors.appointments_of(self.beneficiary)

    @extend_schema(
        summary="Book a slot (409 slot_full / already_booked / slot_closed / appointment_overlap / limit_reached)",
        description=(
            "Fair use (docs/api.md): at most the 使用限额 of upcoming appointments per person (409 `limit_reached`, "
            "default 3), and never two whose times overlap (409 `appointment_overlap`)."
        ),
        request=AppointmentInputSerializer,
        responses={201: AppointmentSerializer},
    )
    def create(self, request):
        data = self.validated(AppointmentInputSerializer)
        appointment = services.appointment_book(
            resident=self.beneficiary, slot=data["slot"], acted_by=self.acting.actor_or_none
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Cancel, until the cut-off before the slot starts (409 cancel_too_late)",
        request=None,
        responses=AppointmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        appointment = services.appointment_cancel(
            appointment=self.get_object(), resident=self.beneficiary, acted_by=self.acting.actor_or_none
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data)
