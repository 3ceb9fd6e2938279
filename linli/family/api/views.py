"""亲情账号: bindings (asked for by either side, answered by the other), the 代办记录, and the staff's
managed elders. Acting for someone on the other endpoints is `?on_behalf_of=` (linli.family.acting)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet
from linli.family import selectors, services
from linli.family.api import serializers as s
from linli.family.filters import ActFilterSet, BindingFilterSet, ManagedElderFilterSet
from linli.family.models import FamilyAct

SIDES = "principal (the elder) or member (the family member who acts)"


@extend_schema_view(
    list=extend_schema(
        summary="My family bindings: as the elder, as the family member, requests waiting for me, and history"
    ),
    retrieve=extend_schema(summary="One binding with its history (who asked, answered, changed permissions, ended)"),
)
class BindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Bindings I am a side of, requests addressed to me (by my phone or id), and those of the managed
    elders I am the guardian of. Anyone else's binding is 404."""

    schema_topic = "亲情账号"
    filterset_class = BindingFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.bindings_of(self.request.user)
        return selectors.binding_detail_of(self.request.user)

    def get_serializer_class(self):
        return s.BindingSerializer if self.action == "list" else s.BindingDetailSerializer

    def _detail(self, binding, code=status.HTTP_200_OK):
        return self.respond(
            s.BindingDetailSerializer, selectors.binding_detail_of(self.request.user).get(pk=binding.pk), code
        )

    @extend_schema(
        summary="Ask someone to bind, by their phone number or user id",
        description=(
            f"`side` is my side: {SIDES}. The other side accepts or declines in their list "
            "(`?waiting_for_me=true`). The answer is the same whether or not anyone holds that phone or id. "
            "409 `binding_exists` when we are already bound or a request to them is pending."
        ),
        request=s.BindingRequestSerializer,
        responses={201: s.BindingDetailSerializer},
    )
    def create(self, request):
        data = self.validated(s.BindingRequestSerializer)
        binding = services.family_binding_request(
            by=request.user,
            side=data["side"],
            phone=data.get("phone", ""),
            user_ref=data.get("user"),
            relation=data.get("relation", ""),
            permissions=data.get("permissions"),
        )
        return self._detail(binding, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept a request addressed to me (or to the managed elder I guard): bound at once",
        description="The principal accepting may set `permissions` too. 409 `binding_exists`, `invalid_transition`.",
        request=s.BindingAcceptSerializer,
        responses={200: s.BindingDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self.validated(s.BindingAcceptSerializer)
        binding = services.family_binding_accept(
            binding=self.get_object(), by=request.user, permissions=data.get("permissions")
        )
        return self._detail(binding)

    @extend_schema(
        summary="Decline a request addressed to me", request=None, responses={200: s.BindingDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._detail(services.family_binding_decline(binding=self.get_object(), by=request.user))

    @extend_schema(
        summary="Withdraw my request before it is answered", request=None, responses={200: s.BindingDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._detail(services.family_binding_cancel(binding=self.get_object(), by=request.user))

    @extend_schema(
        summary="End a binding (either side): the family member can no longer act, see or be alerted, at once",
        request=None,
        responses={200: s.BindingDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._detail(services.family_binding_end(binding=self.get_object(), by=request.user))

    @extend_schema(
        summary="Set the permissions (the elder, or the guardian of a managed elder); effective at once",
        description="Fields left out keep their value. 403 for the family member; 409 once the binding is over.",
        request=s.PermissionsSerializer,
        responses={200: s.BindingDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        data = self.validated(s.PermissionsSerializer)
        binding = services.family_binding_set_permissions(binding=self.get_object(), by=request.user, permissions=data)
        return self._detail(binding)


@extend_schema_view(
    list=extend_schema(
        summary="代办记录: what I did for family (on_behalf_of) and what family did for me, newest first"
    ),
)
class ActViewSet(mixins.ListModelMixin, ApiViewSet):
    schema_topic = "亲情账号"
    serializer_class = s.ActSerializer
    filterset_class = ActFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FamilyAct.objects.none()
        return selectors.acts_of(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Managed elders of my communities (no phone, no WeChat; acted for by a guardian)"),
    retrieve=extend_schema(summary="One managed elder with their guardian"),
)
class StaffManagedElderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "亲情账号"
    serializer_class = s.ManagedElderSerializer
    filterset_class = ManagedElderFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF, superuser=True)]

    def get_queryset(self):
        return selectors.managed_elders_for(self.request.user)

    @extend_schema(
        summary="Register a managed elder of my community with a guardian (all permissions, bound at once)",
        description=(
            "The elder gets an account that cannot log in and a resident role in the community. The guardian "
            "must have registered `guardian_phone` (else 400). Another community: 404."
        ),
        request=s.ManagedElderCreateSerializer,
        responses={201: s.ManagedElderSerializer},
    )
    def create(self, request):
        data = self.validated(s.ManagedElderCreateSerializer)
        managed = services.managed_elder_create(staff=request.user, community_id=data.pop("community"), **data)
        return self.respond(s.ManagedElderSerializer, self.get_queryset().get(pk=managed.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hand the elder to another guardian (the old guardian's binding ends)",
        request=s.GuardianSerializer,
        responses={200: s.ManagedElderSerializer},
    )
    @action(detail=True, methods=["post"])
    def guardian(self, request, pk=None):
        data = self.validated(s.GuardianSerializer)
        managed = self.get_object()
        services.managed_elder_set_guardian(managed=managed, staff=request.user, **data)
        return self.respond(s.ManagedElderSerializer, self.get_queryset().get(pk=managed.pk))
