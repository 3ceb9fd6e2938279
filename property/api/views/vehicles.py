"""Vehicles: households register them and ask for monthly parking permits; property staff confirm."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from linli.api.errors import NotFoundError
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiViewSet
from linli.regions.households import households_of
from property.api.serializers import vehicles as s
from property.api.views.bills import STAFF
from property.filters import VehicleFilterSet
from property.models import ParkingPermit
from property.selectors import bills as bill_selectors
from property.selectors import vehicles as selectors
from property.services import vehicles as services

# A POST that names someone else's bill, room, child or class (or one that does not exist) is 404.
NOT_MINE = OpenApiResponse(ErrorSerializer, description="A referenced object is not yours (not_found)")


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "车辆与停车"


def _with_permits(queryset):
    permits = ParkingPermit.objects.select_related("bill").order_by("-valid_from", "-id")
    return queryset.prefetch_related(Prefetch("permits", queryset=permits))


@extend_schema_view(
    list=extend_schema(summary="My households' vehicles with their parking permits"),
    retrieve=extend_schema(summary="One of my households' vehicles"),
)
class VehicleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.VehicleSerializer
    filterset_class = VehicleFilterSet

    def get_queryset(self):
        return _with_permits(selectors.vehicles_for_household(user=self.request.user))

    def _detail(self, vehicle, code=status.HTTP_200_OK):
        return self.respond(s.VehicleSerializer, self.get_queryset().get(pk=vehicle.pk), code)

    @extend_schema(
        summary="Register a vehicle of my household (waits for the property staff to confirm)",
        description="The plate is normalised (浙h 12345 → 浙H12345); 409 `plate_taken` when the community "
        "already has it among its active vehicles; 404 for a room that is not my household.",
        request=s.VehicleInputSerializer,
        responses={201: s.VehicleSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(s.VehicleInputSerializer)
        room = households_of(request.user).filter(pk=data.pop("room")).first()
        if room is None:
            raise NotFoundError("房屋不存在")
        vehicle = services.vehicle_register(user=request.user, room=room, **data)
        return self._detail(vehicle, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a vehicle of my household (its permits are revoked)",
        request=None,
        responses={200: s.VehicleSerializer},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        vehicle = services.vehicle_remove(vehicle=self.get_object(), actor=request.user, reason="住户移除")
        return self._detail(vehicle)

    @extend_schema(
        summary="A monthly parking permit for a confirmed vehicle: its parking bill to pay (get or create)",
        description="Pay the returned permit's `bill` with POST /property/payments/; the permit is active "
        "once it is paid. 409 `vehicle_not_confirmed`, 409 `no_parking_fee` when the estate has no parking fee.",
        request=s.PermitInputSerializer,
        responses={201: s.PermitSerializer},
    )
    @action(detail=True, methods=["post"])
    def permits(self, request, pk=None):
        data = self.validated(s.PermitInputSerializer)
        permit = services.permit_request(vehicle=self.get_object(), period=data["period"])
        return self.respond(s.PermitSerializer, permit, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Vehicles of my communities (or my estate)"),
    retrieve=extend_schema(summary="One vehicle with its permits"),
)
class StaffVehicleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.StaffVehicleSerializer
    filterset_class = VehicleFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        scope = bill_selectors.staff_scope(self.request.user, estate_field="room__building__estate_id")
        return _with_permits(selectors.vehicles_for_staff(scope=scope))

    def _detail(self, vehicle):
        return self.respond(s.StaffVehicleSerializer, self.get_queryset().get(pk=vehicle.pk))

    @extend_schema(
        summary="Confirm a registered vehicle (pending → confirmed)",
        request=None,
        responses={200: s.StaffVehicleSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._detail(services.vehicle_confirm(vehicle=self.get_object(), actor=request.user))

    @extend_schema(
        summary="Reject a registration, with a reason (pending → removed)",
        request=s.VehicleReasonInputSerializer,
        responses={200: s.StaffVehicleSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.validated(s.VehicleReasonInputSerializer)
        return self._detail(services.vehicle_reject(vehicle=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Remove a vehicle (its permits are revoked)",
        request=s.VehicleReasonInputSerializer,
        responses={200: s.StaffVehicleSerializer},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        data = self.validated(s.VehicleReasonInputSerializer)
        return self._detail(services.vehicle_remove(vehicle=self.get_object(), actor=request.user, **data))
