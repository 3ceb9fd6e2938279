from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.api.errors import ConflictError, NotFoundError, field_error
from linli.api.idempotency import idempotent
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet, SharedListMixin
from linli.devices.models import Device
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission
from linli.payments.api.serializers import ClientParamsSerializer
from linli.uploads.selectors import attachments
from merchants import cache as product_cache
from merchants import devices, selectors, services
from merchants.api import serializers as s
from merchants.filters import (
    ApplicationFilterSet,
    CabinetSessionFilterSet,
    MarketMerchantFilterSet,
    MarketProductFilterSet,
    MerchantOrderFilterSet,
    MerchantProductFilterSet,
    MyOrderFilterSet,
    ReviewFilterSet,
)
from merchants.models import CabinetSlot, Order, ProductImage

NO_DEVICE = OpenApiResponse(ErrorSerializer, description="No such device (not_found)")
NOT_MY_SHOP = OpenApiResponse(ErrorSerializer, description="Not a shop of mine (not_found)")
NOT_ALLOWED = OpenApiResponse(ErrorSerializer, description="My position in the shop does not allow it")


# --- residents: the market ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Shops in the market (?community=)"),
    retrieve=extend_schema(summary="One shop"),
)
class MarketMerchantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Shops open in the market, with their average rating."""

    schema_topic = "市集"
    serializer_class = s.MarketMerchantSerializer
    filterset_class = MarketMerchantFilterSet

    def get_queryset(self):
        return selectors.market_merchants()


@extend_schema_view(
    list=extend_schema(summary="Products on the shelf (?merchant=&category=&search=&min_price_fen=&max_price_fen=)"),
    retrieve=extend_schema(summary="One product"),
)
class MarketProductViewSet(SharedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "市集"
    serializer_class = s.ProductSerializer
    filterset_class = MarketProductFilterSet
    shared_list_kind = product_cache.PRODUCT_CARDS  # merchants/cache.py: the writes that replace a page

    def get_queryset(self):
        return selectors.market_products()


@extend_schema_view(
    list=extend_schema(summary="Reviews of shops (?merchant=)"),
)
class MarketReviewViewSet(mixins.ListModelMixin, ApiViewSet):
    schema_topic = "市集"
    serializer_class = s.ReviewSerializer
    filterset_class = ReviewFilterSet

    def get_queryset(self):
        return selectors.reviews_of_market()


@extend_schema_view(
    list=extend_schema(summary="My orders, newest first"),
    retrieve=extend_schema(summary="One of my orders, with items and history"),
)
class MarketOrderViewSet(ActingViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My orders: market orders, rice mill and cabinet purchases. Someone else's is 404. With
    `?on_behalf_of=` (亲情账号): the orders of the elder I act for (act_for); paying needs pay_for."""

    schema_topic = "订单"
    serializer_class = s.OrderSerializer
    filterset_class = MyOrderFilterSet
    acting_actions = {
        **dict.fromkeys(["list", "retrieve", "create", "cancel"], Permission.ACT_FOR),
        "pay": Permission.PAY_FOR,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.orders_of(self.beneficiary)

    def _render(self, order, code=status.HTTP_200_OK):
        return self.respond(s.OrderSerializer, self.get_queryset().get(pk=order.pk), code)

    @extend_schema(
        summary="Place an order (send an Idempotency-Key)",
        description=(
            "All items from one merchant. Stock is reserved at once (409 `sold_out` when there is not enough); "
            "`points_to_use` pays part with 邻礼积分 (at most each product's points_price per unit; 409 "
            "`insufficient_points`). The order waits in `pending_payment` for 15 minutes, then closes and gives "
            "the stock and points back. Paid entirely with points, it is `paid` at once."
        ),
        request=s.OrderCreateSerializer,
        responses={201: s.OrderSerializer},
    )
    @idempotent
    def create(self, request):
        data = self.validated(s.OrderCreateSerializer)
        acting = self.acting
        paid_by = acting.actor if acting.on_behalf and acting.binding.pay_for else None
        order = services.order_create(user=self.beneficiary, acted_by=acting.actor_or_none, paid_by=paid_by, **data)
        return self._render(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Payment parameters for wx.requestPayment",
        request=None,
        responses={200: ClientParamsSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        order = self.get_object()
        if order.payment_intent is not None and order.payment_intent.payer_id != request.user.pk:
            # wx.requestPayment runs with the payer's own WeChat: the one the order was placed to be paid by.
            raise ConflictError("该订单由下单时指定的付款人支付", code="not_the_payer")
        params = services.order_pay(order=order)
        return Response(ClientParamsSerializer(params).data)

    @extend_schema(
        summary="Cancel my order (before the merchant accepts it)",
        description="Unpaid: it ends and the stock goes back. Paid: the stock goes back and the payment is refunded.",
        request=None,
        responses={200: s.OrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = services.order_cancel(order=self.get_object(), by=request.user)
        return self._render(order)

    @extend_schema(
        summary="Review a completed order (once)",
        request=s.ReviewInputSerializer,
        responses={201: s.ReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = self.validated(s.ReviewInputSerializer)
        review = services.review_create(order=self.get_object(), user=request.user, **data)
        return self.respond(s.ReviewSerializer, review, status.HTTP_201_CREATED)


class RiceMillOrderView(ApiView):
    schema_topic = "订单"

    @extend_schema(
        summary="Buy rice at a rice mill (send an Idempotency-Key)",
        description=(
            "After the QR scan: `weight_g` must be one of the machine's steps (GET /api/v1/market/devices/{code}/). "
            "Pay it like any order; once paid the machine is told to dispense, and a failed dispense refunds it."
        ),
        request=s.RiceMillOrderCreateSerializer,
        responses={201: s.OrderSerializer, 404: NO_DEVICE},
    )
    @idempotent
    def post(self, request):
        data = self.validated(s.RiceMillOrderCreateSerializer)
        device = devices.market_device(data["device"], Device.Kind.RICE_MILL)
        order = devices.rice_mill_order_create(user=request.user, device=device, weight_g=data["weight_g"])
        order = selectors.orders_of(request.user).get(pk=order.pk)
        return self.respond(s.OrderSerializer, order, status.HTTP_201_CREATED)


class MarketDeviceView(ApiView):
    schema_topic = "市集"

    @extend_schema(
        summary="A rice mill's prices or a cabinet's slots, by the code on its QR label",
        responses={200: s.MarketDeviceSerializer},
    )
    def get(self, request, code):
        device = (
            Device.objects.select_related("merchant_link__merchant")
            .filter(code=code, kind__in=[Device.Kind.RICE_MILL, Device.Kind.UNMANNED_CABINET])
            .first()
        )
        if device is None or not hasattr(device, "merchant_link"):
            raise NotFoundError("设备不存在")
        body = {
            "code": device.code,
            "kind": device.kind,
            "name": device.name,
            "location": device.location,
            "status": device.status,
            "merchant": device.merchant_link.merchant,
        }
        if device.kind == Device.Kind.RICE_MILL:
            try:
                price, steps = devices.rice_mill_prices(device)
            except devices.DeviceUnavailable:
                price, steps = None, []  # not priced yet: shown without prices, ordering is refused
            if price is not None:
                body["price_per_kg_fen"] = price
                body["weight_steps"] = [{"weight_g": w, "price_fen": (price * w + 500) // 1000} for w in steps]
        else:
            body["slots"] = (
                CabinetSlot.objects.filter(device=device)
                .select_related("product__merchant")
                .prefetch_related(attachments("product__image_links", ProductImage))
            )
        return self.respond(s.MarketDeviceSerializer, body)


@extend_schema_view(
    list=extend_schema(summary="My visits to unmanned cabinets"),
    retrieve=extend_schema(summary="One visit; its order is the receipt"),
)
class CabinetSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "订单"
    serializer_class = s.CabinetSessionSerializer
    filterset_class = CabinetSessionFilterSet

    def get_queryset(self):
        return selectors.cabinet_sessions_of(self.request.user)

    @extend_schema(
        summary="Open an unmanned cabinet (send an Idempotency-Key)",
        description=(
            "Needs an accepted payment authorisation (WeChat Pay Score: POST /api/v1/payments/contracts/authorize/), "
            "else 409 `payment_contract_required`. The door opens with a Pay Score service order; when it closes, "
            "the weighed items are charged through it and the receipt appears in my orders. "
            "409 `cabinet_busy` while someone else is shopping; 400 `payscore_rejected` when WeChat Pay refuses "
            "the service order (its reason in `message`), 502 `upstream_error` when it cannot be reached."
        ),
        request=s.CabinetSessionCreateSerializer,
        responses={
            201: s.CabinetSessionSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Invalid input, or WeChat Pay refused (payscore_rejected)"
            ),
            404: NO_DEVICE,
            502: OpenApiResponse(ErrorSerializer, description="WeChat Pay unreachable (upstream_error)"),
        },
    )
    @idempotent
    def create(self, request):
        data = self.validated(s.CabinetSessionCreateSerializer)
        device = devices.market_device(data["device"], Device.Kind.UNMANNED_CABINET)
        session = devices.cabinet_session_open(user=request.user, device=device)
        return self.respond(s.CabinetSessionSerializer, session, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="My applications to open a shop"),
    retrieve=extend_schema(summary="One of my applications"),
)
class MyApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "开店申请"
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilterSet

    def get_queryset(self):
        return selectors.applications_of(self.request.user)

    @extend_schema(
        summary="Apply to open a shop in a community's market",
        description="The community's staff approve it; the applicant then becomes the shop's owner.",
        request=s.ApplicationCreateSerializer,
        responses={201: s.ApplicationSerializer},
    )
    def create(self, request):
        data = self.validated(s.ApplicationCreateSerializer)
        application = services.merchant_application_create(applicant=request.user, **data)
        return self.respond(s.ApplicationSerializer, application, status.HTTP_201_CREATED)


# --- merchants: their own shop --------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The shops I am a member of"),
    retrieve=extend_schema(summary="One of my shops"),
)
class MyMerchantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "店铺"
    serializer_class = s.MyMerchantSerializer

    def get_queryset(self):
        return selectors.my_merchants(self.request.user)

    @extend_schema(
        summary="Transfer the shop to one of its managers (owner only)",
        description=(
            "The manager becomes the owner and I stay on as a manager; there is always exactly one owner. "
            "400 on `member` unless it is a manager of this shop; 403 unless I am the owner."
        ),
        request=s.OwnershipTransferSerializer,
        responses={200: s.MemberSerializer, 403: NOT_ALLOWED},
    )
    @action(detail=True, methods=["post"], url_path="transfer-ownership")
    def transfer_ownership(self, request, pk=None):
        data = self.validated(s.OwnershipTransferSerializer)
        merchant = self.get_object()
        target = selectors.members_of([merchant.pk]).filter(pk=data["member"]).first()
        if target is None:
            raise field_error("member", "只能转让给本店的店长")
        membership = services.merchant_ownership_transfer(merchant=merchant, by=request.user, to=target)
        return self.respond(s.MemberSerializer, selectors.members_of([merchant.pk]).get(pk=membership.pk))


@extend_schema_view(
    list=extend_schema(summary="My shops' products"),
    retrieve=extend_schema(summary="One product of my shop"),
)
class MerchantProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """My shops' products. Another shop's product is 404."""

    schema_topic = "商品"
    serializer_class = s.MerchantProductSerializer
    filterset_class = MerchantProductFilterSet

    def get_queryset(self):
        return selectors.products_for_member(self.request.user)

    @extend_schema(
        summary="Add a product (`merchant` may be left out when I belong to one shop)",
        request=s.ProductCreateSerializer,
        responses={201: s.MerchantProductSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.ProductCreateSerializer(
            data=request.data, merchants=selectors.my_merchants(request.user), context={"request": request}
        )
        data.is_valid(raise_exception=True)
        product = services.product_create(by=request.user, **data.validated_data)
        return self.respond(s.MerchantProductSerializer, product, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a product: price, stock, shelf, images …",
        request=s.ProductUpdateSerializer,
        responses={200: s.MerchantProductSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        product = self.get_object()
        data = self.validated(s.ProductUpdateSerializer, partial=True)
        product = services.product_update(product=product, by=request.user, **data)
        return self.respond(s.MerchantProductSerializer, product)


@extend_schema_view(
    list=extend_schema(summary="My shops' orders (?status=)"),
    retrieve=extend_schema(summary="One order of my shop, with items and history"),
)
class MerchantOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My shops' orders. Another shop's order is 404."""

    schema_topic = "订单"
    serializer_class = s.MerchantOrderSerializer
    filterset_class = MerchantOrderFilterSet

    def get_queryset(self):
        return selectors.orders_for_member(self.request.user)

    def _render(self, order):
        return self.respond(s.MerchantOrderSerializer, self.get_queryset().get(pk=order.pk))

    @extend_schema(summary="Accept a paid order", request=None, responses={200: s.MerchantOrderSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._render(services.order_accept(order=self.get_object(), by=request.user))

    @extend_schema(
        summary="Mark an accepted order ready (for pickup, or out for delivery)",
        request=None,
        responses={200: s.MerchantOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def ready(self, request, pk=None):
        return self._render(services.order_ready(order=self.get_object(), by=request.user))

    @extend_schema(
        summary="Hand the order over: check the resident's pickup code",
        request=s.CompleteInputSerializer,
        responses={200: s.MerchantOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self.validated(s.CompleteInputSerializer)
        order = services.order_complete(order=self.get_object(), by=request.user, **data)
        return self._render(order)

    @extend_schema(
        summary="Refund part or all of an order (send an Idempotency-Key)",
        description="Never more than was paid (409 `refund_exceeds_paid`); refunding the rest ends the order.",
        request=s.RefundInputSerializer,
        responses={200: s.MerchantOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def refund(self, request, pk=None):
        data = self.validated(s.RefundInputSerializer)
        order = services.order_refund(order=self.get_object(), by=request.user, **data)
        return self._render(order)

    @extend_schema(
        summary="Settle a cabinet order whose weights were ambiguous",
        description=(
            "The quantities really taken; never more than the weight drops allow (400). Nothing taken cancels "
            "it without a charge; otherwise it is charged through Pay Score and completed."
        ),
        request=s.SettleInputSerializer,
        responses={200: s.MerchantOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        data = self.validated(s.SettleInputSerializer)
        order = devices.cabinet_order_settle(order=self.get_object(), by=request.user, **data)
        return self._render(order)


class MerchantStatsView(ApiView):
    schema_topic = "店铺"

    @extend_schema(
        summary="Sales of my shop in a period (default: the last 30 days)",
        parameters=[
            OpenApiParameter("merchant", int, description="Shop id (needed when I belong to several)"),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="YYYY-MM-DD"),
        ],
        responses={
            200: s.MerchantStatsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not a shop of mine (not_found)"),
        },
    )
    def get(self, request):
        query = self.validated(s.StatsQuerySerializer, data=request.query_params)
        mine = selectors.my_merchants(request.user)
        if "merchant" in query:
            merchant = mine.filter(pk=query["merchant"]).first()
        else:
            shops = list(mine[:2])
            merchant = shops[0] if len(shops) == 1 else None
        if merchant is None:
            raise NotFoundError("请指定你所在的店铺")
        today = timezone.localdate()
        date_to = query.get("date_to", today)
        date_from = query.get("date_from", date_to - timedelta(days=29))
        stats = selectors.sales_stats(merchant=merchant, date_from=date_from, date_to=date_to)
        return self.respond(s.MerchantStatsSerializer, stats)


# --- community staff: onboarding --------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Shop applications in my communities (?status=pending)"),
    retrieve=extend_schema(summary="One shop application"),
)
class StaffApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Applications to the communities I work for. Another community's is 404."""

    schema_topic = "开店申请"
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilterSet

    def get_queryset(self):
        return selectors.applications_for_staff(self.request.user)

    @extend_schema(
        summary="Approve: the shop opens and the applicant becomes its owner",
        request=s.DecisionSerializer,
        responses={200: s.ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self.validated(s.DecisionSerializer)
        application = services.merchant_application_approve(
            application=self.get_object(), reviewer=request.user, **data
        )
        return self.respond(s.ApplicationSerializer, self.get_queryset().get(pk=application.pk))

    @extend_schema(
        summary="Reject, with the reason the applicant will see",
        request=s.RejectSerializer,
        responses={200: s.ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.validated(s.RejectSerializer)
        application = services.merchant_application_reject(application=self.get_object(), reviewer=request.user, **data)
        return self.respond(s.ApplicationSerializer, self.get_queryset().get(pk=application.pk))
