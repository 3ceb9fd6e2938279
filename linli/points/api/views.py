from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import NotFoundError
from linli.api.idempotency import idempotent
from linli.api.pagination import PageNumberPagination
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet
from linli.points import selectors
from linli.points.api import serializers as s
from linli.points.filters import AdjustmentFilterSet, RedemptionFilterSet, RedemptionItemFilterSet
from linli.points.services import adjustments, redemption
from linli.points.statement_print import print_url
from linli.regions.models import Community

STAFF = [has_role(Role.COMMUNITY_STAFF, superuser=True)]
MERCHANT = [has_role(Role.MERCHANT_MEMBER)]
NOT_MINE = OpenApiResponse(ErrorSerializer, description="Not yours, or does not exist (not_found)")
CONFLICT = OpenApiResponse(ErrorSerializer, description="The state forbids it (see the description for codes)")


class LedgerPagination(PageNumberPagination):
    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"balance": selectors.balance_of(self.request.user), **response.data}
        return response


@extend_schema_view(
    get=extend_schema(summary="My points balance and ledger entries, newest first", responses=s.PointsLedgerSerializer),
)
class MyPointsView(generics.ListAPIView):
    """My 邻礼积分: the balance and the ledger that explains it."""

    serializer_class = s.PointsEntrySerializer
    pagination_class = LedgerPagination

    def get_queryset(self):
        return selectors.entries_of(self.request.user)


class StatementView(ApiView):
    schema_topic = "邻礼积分"

    @extend_schema(
        summary="My monthly points statement (积分月结单)",
        description="Opening balance, points earned (by earning rule, and otherwise), spent, closing balance "
        "and the month's entries oldest first. Months in Asia/Shanghai.",
        parameters=[s.StatementQuerySerializer],
        responses={200: s.StatementSerializer},
    )
    def get(self, request):
        month = self.validated(s.StatementQuerySerializer, data=request.query_params).get("month")
        if month:
            year, number = (int(part) for part in month.split("-"))
            day = timezone.localdate().replace(year=year, month=number, day=1)
        else:
            day = timezone.localdate().replace(day=1)
        body = selectors.statement(request.user, day)
        body["print_url"] = print_url(request.user, day, request)
        return self.respond(s.StatementSerializer, body)


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "积分兑换"


def _with_merchant(queryset):
    return queryset.prefetch_related("merchant")


# --- residents ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The redemption catalogue of my communities (active, in their window)"),
    retrieve=extend_schema(summary="One catalogue item"),
)
class CatalogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.RedemptionItemSerializer
    filterset_class = RedemptionItemFilterSet

    def get_queryset(self):
        return _with_merchant(selectors.catalogue_for(self.request.user))

    @extend_schema(
        summary="Redeem an item with my points (send an Idempotency-Key)",
        description="Points and stock are deducted in one transaction; the answer carries the code to show at "
        "邻礼中心 or to the merchant. 409 `insufficient_points`, `out_of_stock`, `redemption_limit_reached` "
        "(per-person limit), `item_unavailable`; 404 for an item not in my catalogue.",
        request=None,
        responses={201: s.RedemptionSerializer, 404: NOT_MINE, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def redeem(self, request, pk=None):
        done = redemption.redemption_create(item=self.get_object(), user=request.user)
        return self.respond(s.RedemptionSerializer, done, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="My redemptions, newest first"),
    retrieve=extend_schema(summary="One of my redemptions, with its code"),
)
class MyRedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.RedemptionSerializer
    filterset_class = RedemptionFilterSet

    def get_queryset(self):
        return selectors.redemptions_of(self.request.user)

    @extend_schema(
        summary="Cancel my redemption before it is verified: points and stock come back",
        description="409 `invalid_transition` once verified or cancelled.",
        request=s.CancelInputSerializer,
        responses={200: s.RedemptionSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(s.CancelInputSerializer)
        done = redemption.redemption_cancel(redemption=self.get_object(), actor=request.user, **data)
        return self.respond(s.RedemptionSerializer, self.get_queryset().get(pk=done.pk))


# --- community staff ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Catalogue items of my communities (all, inactive included)"),
    retrieve=extend_schema(summary="One catalogue item"),
)
class StaffItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.StaffRedemptionItemSerializer
    filterset_class = RedemptionItemFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return _with_merchant(selectors.items_for_staff(self.request.user))

    def _detail(self, item, code=status.HTTP_200_OK):
        return self.respond(s.StaffRedemptionItemSerializer, self.get_queryset().get(pk=item.pk), code)

    @extend_schema(
        summary="Add an item to a community's catalogue",
        description="A voucher (`kind=voucher`) names the merchant that accepts it (`merchant_type` "
        "`merchants.merchant`, `merchant_id`). 404 for a community that is not mine.",
        request=s.RedemptionItemInputSerializer,
        responses={201: s.StaffRedemptionItemSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(s.RedemptionItemInputSerializer)
        ids = selectors.staff_community_ids(request.user)
        community = Community.objects.filter(pk=data.pop("community")).first()
        if community is None or (ids is not None and community.pk not in ids):
            raise NotFoundError("社区不存在")
        item = redemption.redemption_item_save(community=community, **data)
        return self._detail(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an item (price, stock, window, active…)",
        request=s.RedemptionItemUpdateSerializer,
        responses={200: s.StaffRedemptionItemSerializer},
    )
    def partial_update(self, request, pk=None):
        data = self.validated(s.RedemptionItemUpdateSerializer, partial=True)
        return self._detail(redemption.redemption_item_save(item=self.get_object(), **data))


@extend_schema_view(
    list=extend_schema(summary="Redemptions in my communities, newest first"),
    retrieve=extend_schema(summary="One redemption"),
)
class StaffRedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.StaffRedemptionSerializer
    filterset_class = RedemptionFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.redemptions_for_staff(self.request.user)

    @extend_schema(
        summary="Verify a redemption code (hand over the goods): the first verification wins",
        description="404 for a code that is not of my communities; 409 `invalid_transition` when already "
        "verified or cancelled.",
        request=s.CodeInputSerializer,
        responses={200: s.StaffRedemptionSerializer, 404: NOT_MINE, 409: CONFLICT},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        data = self.validated(s.CodeInputSerializer)
        done = redemption.redemption_verify(code=data["code"], actor=request.user)
        return self.respond(s.StaffRedemptionSerializer, self.get_queryset().get(pk=done.pk))

    @extend_schema(
        summary="Cancel a pending redemption: points and stock go back to the resident",
        request=s.CancelInputSerializer,
        responses={200: s.StaffRedemptionSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(s.CancelInputSerializer)
        done = redemption.redemption_cancel(redemption=self.get_object(), actor=request.user, **data)
        return self.respond(s.StaffRedemptionSerializer, self.get_queryset().get(pk=done.pk))


@extend_schema_view(list=extend_schema(summary="Manual awards and deductions in my communities, newest first"))
class StaffAdjustmentViewSet(mixins.ListModelMixin, Viewset):
    serializer_class = s.AdjustmentSerializer
    filterset_class = AdjustmentFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.adjustments_for_staff(self.request.user)

    @extend_schema(
        summary="Award or deduct a resident's points by hand, with a reason (send an Idempotency-Key)",
        description="Within my monthly limit per community (409 `adjustment_limit_reached`); a deduction "
        "never takes the balance below zero (409 `insufficient_points`). 404 for a community that is not "
        "mine or a user who is not its resident.",
        request=s.AdjustmentInputSerializer,
        responses={201: s.AdjustmentSerializer, 404: NOT_MINE, 409: CONFLICT},
    )
    @idempotent
    def create(self, request):
        data = self.validated(s.AdjustmentInputSerializer)
        community = Community.objects.filter(pk=data.pop("community")).first()
        user = type(request.user).objects.filter(pk=data.pop("user")).first()
        if community is None or user is None:
            raise NotFoundError("社区或居民不存在")
        done = adjustments.points_adjust(staff=request.user, user=user, community=community, **data)
        return self.respond(s.AdjustmentSerializer, self.get_queryset().get(pk=done.pk), status.HTTP_201_CREATED)


# --- merchants ----------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Redemptions of the vouchers my merchant accepts"))
class MerchantRedemptionViewSet(mixins.ListModelMixin, Viewset):
    serializer_class = s.MerchantRedemptionSerializer
    filterset_class = RedemptionFilterSet
    permission_classes = MERCHANT

    def get_queryset(self):
        return selectors.redemptions_for_merchant(self.request.user)

    @extend_schema(
        summary="Verify a voucher code my merchant accepts: the first verification wins",
        description="404 for a code of a voucher my merchant does not accept; 409 `invalid_transition` when "
        "already verified or cancelled.",
        request=s.CodeInputSerializer,
        responses={200: s.MerchantRedemptionSerializer, 404: NOT_MINE, 409: CONFLICT},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        data = self.validated(s.CodeInputSerializer)
        done = redemption.redemption_verify(code=data["code"], actor=request.user, as_merchant=True)
        return self.respond(s.MerchantRedemptionSerializer, self.get_queryset().get(pk=done.pk))
