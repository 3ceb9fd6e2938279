"""Shop membership: invitations (sent by a shop, answered by the invited person) and the members.

Members join only by accepting an invitation; the owner changes only by a transfer (shops.py).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.accounts.models import Membership
from linli.api.views import ApiViewSet
from merchants import selectors, services
from merchants.api import serializers as s
from merchants.api.views.shops import NOT_ALLOWED, NOT_MY_SHOP
from merchants.filters import InvitationFilterSet, MemberFilterSet

# --- residents: invitations to me ------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Invitations to join a shop waiting for my answer (sent to my phone number)"),
    retrieve=extend_schema(summary="One invitation to me"),
)
class MyInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Invitations to my phone number. I become a member only by accepting one."""

    schema_topic = "店铺"
    serializer_class = s.MyInvitationSerializer

    def get_queryset(self):
        return selectors.invitations_to(self.request.user)

    @extend_schema(
        summary="Accept: I become a member of the shop in the invited position",
        description=(
            "403 `privileged_account` for staff, administrators and official roles (community staff, doctors, "
            "officers …): they cannot be shop members. 409 `already_member`, `invitation_expired`."
        ),
        request=None,
        responses={201: s.MemberSerializer, 403: NOT_ALLOWED},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        membership = services.merchant_invitation_accept(invitation=self.get_object(), user=request.user)
        return self.respond(s.MemberSerializer, membership, status.HTTP_201_CREATED)

    @extend_schema(summary="Decline an invitation", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        services.merchant_invitation_decline(invitation=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Join a shop with the invitation code it shared",
        description=(
            "Single use, until it expires. An unknown, used, withdrawn or expired code is 400 on `code`. "
            "403 `privileged_account`, 409 `already_member` as for accepting."
        ),
        request=s.InvitationCodeSerializer,
        responses={201: s.MemberSerializer, 403: NOT_ALLOWED},
    )
    @action(detail=False, methods=["post"], url_path="accept-code")
    def accept_code(self, request):
        data = self.validated(s.InvitationCodeSerializer)
        membership = services.merchant_invitation_accept_code(user=request.user, **data)
        return self.respond(s.MemberSerializer, membership, status.HTTP_201_CREATED)


# --- merchants: the members of my shops -------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Members of my shops (?merchant=&position=)"),
)
class MerchantMemberViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, ApiViewSet):
    """Members of my shops. Members join only by accepting an invitation (/api/v1/merchant/invitations/)."""

    schema_topic = "店铺"
    serializer_class = s.MemberSerializer
    filterset_class = MemberFilterSet
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.members_of(selectors.member_merchant_ids(self.request.user))

    @extend_schema(
        summary="Change a member's position (owner only): manager or staff",
        description="The owner's own position changes only by transferring the shop (409 `owner_position_fixed`).",
        request=s.MemberUpdateSerializer,
        responses={200: s.MemberSerializer, 403: NOT_ALLOWED},
    )
    def partial_update(self, request, *args, **kwargs):
        data = self.validated(s.MemberUpdateSerializer)
        membership = services.merchant_member_set_position(membership=self.get_object(), by=request.user, **data)
        return self.respond(s.MemberSerializer, self.get_queryset().get(pk=membership.pk))

    @extend_schema(
        summary="Leave a shop (my own membership) or remove a member",
        description=(
            "The owner removes anyone else, a manager removes staff. Nobody removes the owner (403); the owner "
            "leaves only after transferring the shop (409 `owner_cannot_leave`)."
        ),
        responses={204: None, 403: NOT_ALLOWED},
    )
    def destroy(self, request, *args, **kwargs):
        membership: Membership = self.get_object()
        services.merchant_member_remove(membership=membership, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Invitations my shops sent (owners and managers; ?merchant=&status=&kind=)"),
    retrieve=extend_schema(summary="One invitation of my shop"),
)
class MerchantInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Invitations to join my shops. Another shop's invitation is 404."""

    schema_topic = "店铺"
    serializer_class = s.InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self):
        return selectors.invitations_for_manager(self.request.user)

    @extend_schema(
        summary="Invite someone to my shop: by phone number, or a code to share",
        description=(
            "With `phone`: whoever holds that number (now, or once they register) sees the invitation and "
            "accepts or declines it; the answer never says whether the number is registered. Without `phone`: "
            "a single-use code, shown only in this answer. Either expires after 72 hours. Owners invite "
            "managers and staff, managers invite staff (else 403); an owner is never invited: transfer the shop. "
            "409 `invitation_pending` when this number already has a pending invitation."
        ),
        request=s.InvitationCreateSerializer,
        responses={201: s.InvitationSerializer, 403: NOT_ALLOWED, 404: NOT_MY_SHOP},
    )
    def create(self, request):
        data = self.validated(s.InvitationCreateSerializer)
        merchant = get_object_or_404(selectors.my_merchants(request.user), pk=data.pop("merchant"))
        invitation, code = services.merchant_invitation_create(merchant=merchant, by=request.user, **data)
        invitation = self.get_queryset().get(pk=invitation.pk)
        invitation.code = code
        return self.respond(s.InvitationSerializer, invitation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a pending invitation",
        request=None,
        responses={200: s.InvitationSerializer, 403: NOT_ALLOWED},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = services.merchant_invitation_revoke(invitation=self.get_object(), by=request.user)
        return self.respond(s.InvitationSerializer, self.get_queryset().get(pk=invitation.pk))
