"""Thin HTTP layer of home care: residents and their family under /care/, care workers, provider
managers and community staff under /staff/care/."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from care import selectors, services
from care.api import serializers as s
from care.filters import (
    AssignmentFilterSet,
    CareServiceFilterSet,
    MyCareOrderFilterSet,
    MyVisitFilterSet,
    ProviderOrderFilterSet,
    SubsidyAccountFilterSet,
    SubsidyEntryFilterSet,
    VisitFilterSet,
    VisitPlanFilterSet,
)
from care.models import CareOrder, ProviderPosition, SubsidyEntry
from linli.accounts.models import Role
from linli.api.errors import ConflictError, NotFoundError
from linli.api.idempotency import idempotent
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission
from linli.payments.api.serializers import ClientParamsSerializer
from linli.regions.models import Community

CHECK_IN_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="check_in_too_far (with distance_m and max_distance_m), invalid_door_code, "
    "check_in_position_unknown, or validation_error",
)

care_worker = has_role(Role.CARE_WORKER, scope="care.Provider")
community_staff = has_role(Role.COMMUNITY_STAFF)


class Viewset(ApiViewSet):  # ids in these URLs are numbers: anything else is a 404 at the router
    lookup_value_regex = r"\d+"


# --- residents and family ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The home-care catalogue (助餐、助洁、助浴、助医、陪护、上门探访)"),
    retrieve=extend_schema(summary="One home-care service"),
)
class CareServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "居家养老"
    queryset = selectors.catalogue()
    serializer_class = s.CareServiceSerializer
    filterset_class = CareServiceFilterSet


@extend_schema_view(
    list=extend_schema(summary="Care orders for me, newest first"),
    retrieve=extend_schema(summary="One care order with its photos and timeline"),
)
class CareOrderViewSet(ActingViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    """Care orders for me; with `?on_behalf_of=` (亲情账号) those of the elder I act for (act_for): order,
    cancel, rate for them; paying needs pay_for (代付)."""

    schema_topic = "居家养老"
    filterset_class = MyCareOrderFilterSet
    acting_actions = {
        **dict.fromkeys(["list", "retrieve", "create", "cancel", "rate"], Permission.ACT_FOR),
        "pay": Permission.PAY_FOR,
    }

    @property
    def elder(self):
        return self.beneficiary

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CareOrder.objects.none()
        queryset = selectors.orders_of(self.elder)
        return selectors.with_details(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return s.CareOrderSerializer if self.action == "list" else s.CareOrderDetailSerializer

    def _detail(self, order, status_code=status.HTTP_200_OK):
        fresh = selectors.with_details(selectors.orders_of(self.elder)).get(pk=order.pk)
        return self.respond(s.CareOrderDetailSerializer, fresh, status_code)

    def _payer(self):
        # 代付: a family member acting with pay_for pays the self-paid part with their own WeChat.
        acting = self.acting
        return acting.actor if acting.on_behalf and acting.binding.pay_for else self.elder

    def _placed_by(self):
        return self.acting.actor_or_none

    @extend_schema(
        summary="Order a home-care service at the elder's home (send an Idempotency-Key)",
        description=(
            "The elder must be a verified resident of the service's community (400 `no_home_in_community`). "
            "Subsidy-eligible services are paid from the 养老服务补贴 balance first; the rest is one payment "
            "(`POST …/pay/`). Fully subsidised, the order is `placed` at once; else it waits in "
            "`pending_payment` and closes (subsidy back) when the payment expires."
        ),
        request=s.CareOrderInputSerializer,
        responses={201: s.CareOrderDetailSerializer},
    )
    @idempotent
    def create(self, request):
        data = self.validated(s.CareOrderInputSerializer)
        order = services.care_order_place(elder=self.elder, placed_by=self._placed_by(), payer=self._payer(), **data)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Payment parameters for the self-paid part", request=None, responses={200: ClientParamsSerializer}
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        order = self.get_object()
        if order.payment_intent is not None and order.payment_intent.payer_id != request.user.pk:
            # wx.requestPayment runs with the payer's own WeChat: the one the order was placed to be paid by.
            raise ConflictError("该订单由下单时指定的付款人支付", code="not_the_payer")
        params = services.care_order_pay(order=order)
        return Response(ClientParamsSerializer(params).data)

    @extend_schema(
        summary="Cancel an order before the worker arrives",
        description=(
            "Before dispatch, or at least CARE_LATE_CANCEL_HOURS (2) before the start: everything is refunded "
            "(the subsidy to the ledger, the rest online). Later: the subsidy in full, the self-paid part less "
            "CARE_LATE_CANCEL_FEE_PERCENT (20 %). Once the worker has checked in: 409 invalid_transition."
        ),
        request=s.CareOrderCancelInputSerializer,
        responses={200: s.CareOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(s.CareOrderCancelInputSerializer)
        order = services.care_order_cancel(
            order=self.get_object(), by=request.user, reason=data["reason"], acted_by=self.acting.actor_or_none
        )
        return self._detail(order)

    @extend_schema(
        summary="Rate a finished service (once)",
        request=s.CareOrderRateInputSerializer,
        responses={200: s.CareOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        data = self.validated(s.CareOrderRateInputSerializer)
        order = services.care_order_rate(
            order=self.get_object(), by=request.user, acted_by=self.acting.actor_or_none, **data
        )
        return self._detail(order)


class SubsidyBalanceView(ActingViewMixin, ApiView):
    schema_topic = "居家养老"
    acting_actions = {"get": Permission.ACT_FOR}

    @extend_schema(
        summary="My 养老服务补贴: eligibility, monthly amount and balance",
        responses={200: s.SubsidyBalanceSerializer},
    )
    def get(self, request):
        account = selectors.subsidy_account_of(self.elder)
        body = {"is_eligible": False, "monthly_amount_fen": 0, "balance_fen": 0, "community": None}
        if account is not None:
            body = {
                "is_eligible": account.is_eligible,
                "monthly_amount_fen": account.monthly_amount_fen,
                "balance_fen": account.balance_fen,
                "community": account.community,
            }
        return self.respond(s.SubsidyBalanceSerializer, body)

    @property
    def elder(self):
        return self.beneficiary


@extend_schema_view(list=extend_schema(summary="My subsidy statement: grants, spending, refunds, expiry"))
class SubsidyEntryViewSet(ActingViewMixin, mixins.ListModelMixin, Viewset):
    schema_topic = "居家养老"
    serializer_class = s.SubsidyEntrySerializer
    filterset_class = SubsidyEntryFilterSet
    acting_actions = {"list": Permission.ACT_FOR}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SubsidyEntry.objects.none()
        return selectors.subsidy_entries_of(self.beneficiary)


@extend_schema_view(
    list=extend_schema(summary="Visits I am on the roster for (staff or volunteer)"),
    retrieve=extend_schema(summary="One of my visits"),
)
class MyVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "探访"
    serializer_class = s.VisitSerializer
    filterset_class = MyVisitFilterSet

    def get_queryset(self):
        return selectors.visits_of_visitor(self.request.user)

    @extend_schema(
        summary="Check in at the elder's home (on the day of the visit)",
        request=s.CheckInInputSerializer,
        responses={200: s.VisitSerializer, 400: CHECK_IN_REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        data = self.validated(s.CheckInInputSerializer)
        visit = services.visit_check_in(visit=self.get_object(), visitor=request.user, **data)
        return self.respond(s.VisitSerializer, visit)

    @extend_schema(
        summary="Check out with notes", request=s.VisitCheckOutInputSerializer, responses={200: s.VisitSerializer}
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        data = self.validated(s.VisitCheckOutInputSerializer)
        visit = services.visit_check_out(visit=self.get_object(), visitor=request.user, **data)
        return self.respond(s.VisitSerializer, visit)


# --- care workers ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My assignments (orders dispatched to me)"),
    retrieve=extend_schema(summary="One of my assignments"),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "居家养老"
    permission_classes = [care_worker]
    filterset_class = AssignmentFilterSet

    def get_queryset(self):
        queryset = selectors.assignments_of(self.request.user)
        return selectors.with_details(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return s.CareOrderSerializer if self.action == "list" else s.CareOrderDetailSerializer

    def _detail(self, order):
        fresh = selectors.with_details(selectors.assignments_of(self.request.user)).get(pk=order.pk)
        return self.respond(s.CareOrderDetailSerializer, fresh)

    @extend_schema(
        summary="Check in at the elder's home: position near the estate gate, or the door code",
        request=s.CheckInInputSerializer,
        responses={200: s.CareOrderDetailSerializer, 400: CHECK_IN_REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        data = self.validated(s.CheckInInputSerializer)
        order = services.care_order_check_in(order=self.get_object(), worker=request.user, **data)
        return self._detail(order)

    @extend_schema(
        summary="Check out: what was done, with photos",
        request=s.CheckOutInputSerializer,
        responses={200: s.CareOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        data = self.validated(s.CheckOutInputSerializer)
        order = services.care_order_check_out(order=self.get_object(), worker=request.user, **data)
        return self._detail(order)


# --- provider managers ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Orders of the providers I manage"),
    retrieve=extend_schema(summary="One order of my provider"),
)
class ProviderOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "居家养老"
    permission_classes = [care_worker]
    filterset_class = ProviderOrderFilterSet

    def get_queryset(self):
        queryset = selectors.orders_for_provider_staff(self.request.user)
        return selectors.with_details(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return s.CareOrderSerializer if self.action == "list" else s.CareOrderDetailSerializer

    @extend_schema(
        summary="Dispatch (or re-dispatch) the order to one of our care workers",
        request=s.CareDispatchInputSerializer,
        responses={200: s.CareOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_order(self, request, pk=None):
        data = self.validated(s.CareDispatchInputSerializer)
        order = services.care_order_dispatch(order=self.get_object(), by=request.user, worker=data["worker"])
        fresh = selectors.with_details(selectors.orders_for_provider_staff(request.user)).get(pk=order.pk)
        return self.respond(s.CareOrderDetailSerializer, fresh)


@extend_schema_view(list=extend_schema(summary="Care workers of the providers I manage (to dispatch to)"))
class ProviderWorkerViewSet(mixins.ListModelMixin, Viewset):
    schema_topic = "居家养老"
    permission_classes = [care_worker]
    serializer_class = s.ProviderWorkerSerializer

    def get_queryset(self):
        from linli.accounts.models import Membership

        return (
            Membership.objects.filter(
                role=Role.CARE_WORKER,
                scope_type__app_label="care",
                scope_type__model="provider",
                scope_id__in=selectors.managed_provider_ids(self.request.user),
                position=ProviderPosition.WORKER,
            )
            .select_related("user")
            .order_by("scope_id", "id")
        )


# --- community staff ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Subsidy accounts of my communities"),
    retrieve=extend_schema(summary="One subsidy account"),
)
class SubsidyAccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "居家养老"
    permission_classes = [community_staff]
    serializer_class = s.SubsidyAccountSerializer
    filterset_class = SubsidyAccountFilterSet

    def get_queryset(self):
        return selectors.subsidy_accounts_for_staff(self.request.user)

    @extend_schema(
        summary="Mark an elder eligible (or not) and set the monthly amount",
        description="The elder must be a verified resident of the community; one account per elder (updated).",
        request=s.SubsidyAccountInputSerializer,
        responses={200: s.SubsidyAccountSerializer},
    )
    def create(self, request):
        data = self.validated(s.SubsidyAccountInputSerializer)
        community = Community.objects.filter(pk=data.pop("community")).first()
        if community is None:
            raise NotFoundError()
        account = services.subsidy_account_set(by=request.user, community=community, **data)
        return self.respond(s.SubsidyAccountSerializer, self.get_queryset().get(pk=account.pk))


@extend_schema_view(
    list=extend_schema(summary="The visit roster of my communities"),
    retrieve=extend_schema(summary="One visit plan"),
)
class VisitPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "探访"
    permission_classes = [community_staff]
    serializer_class = s.VisitPlanSerializer
    filterset_class = VisitPlanFilterSet

    def get_queryset(self):
        return selectors.visit_plans_for_staff(self.request.user)

    @extend_schema(
        summary="Put a weekly visit on the roster (this and next week's visits are generated at once)",
        request=s.VisitPlanInputSerializer,
        responses={201: s.VisitPlanSerializer},
    )
    def create(self, request):
        plan = services.visit_plan_create(by=request.user, **self.validated(s.VisitPlanInputSerializer))
        return self.respond(s.VisitPlanSerializer, self.get_queryset().get(pk=plan.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Take a plan off the roster", request=None, responses={200: s.VisitPlanSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        plan = services.visit_plan_end(by=request.user, plan=self.get_object())
        return self.respond(s.VisitPlanSerializer, self.get_queryset().get(pk=plan.pk))


@extend_schema_view(
    list=extend_schema(summary="Visits of my communities (`?status=missed` for the missed ones)"),
    retrieve=extend_schema(summary="One visit"),
)
class StaffVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "探访"
    permission_classes = [community_staff]
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilterSet

    def get_queryset(self):
        return selectors.visits_for_staff(self.request.user)
