"""到家约: open slots, my appointments, booking and cancelling."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from health import selectors
from health.api.serializers import AppointmentInputSerializer, AppointmentSerializer, SlotSerializer
from health.filters import AppointmentFilterSet, SlotFilterSet
from health.services import appointments as services


class SlotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SlotSerializer
    filterset_class = SlotFilterSet

    def get_queryset(self):
        return selectors.slots_open()

    @extend_schema(summary="Bookable slots from today on (号源)", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilterSet

    def get_queryset(self):
        return selectors.appointments_of(self.request.user)

    @extend_schema(summary="My appointments", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One of my appointments", tags=["health"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Book a slot (409 slot_full / already_booked / slot_closed)",
        request=AppointmentInputSerializer,
        responses={201: AppointmentSerializer},
        tags=["health"],
    )
    def create(self, request):
        data = AppointmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_book(resident=request.user, slot=data.validated_data["slot"])
        return Response(
            self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Cancel, until the cut-off before the slot starts (409 cancel_too_late)",
        request=None,
        responses=AppointmentSerializer,
        tags=["health"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        appointment = services.appointment_cancel(appointment=self.get_object(), resident=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=appointment.pk)).data)
