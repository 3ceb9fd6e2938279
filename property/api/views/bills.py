"""Bills: residents see their households' bills and pay several in one payment; property staff list,
collect at the counter, waive, adjust and refund them, and see arrears and collection stats."""

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.accounts.models import Role
from linli.api.errors import NotFoundError
from linli.api.idempotency import HEADER, idempotent
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet
from linli.payments import services as payments
from linli.regions.models import Estate
from property.api.serializers import bills as s
from property.filters import BillFilterSet, MyBillFilterSet, ReceiptFilterSet
from property.selectors import bills as selectors
from property.selectors import stats
from property.services import bills as services
from property.services import fees as fee_services

# A POST that names someone else's bill, room, child or class (or one that does not exist) is 404.
NOT_MINE = OpenApiResponse(ErrorSerializer, description="A referenced object is not yours (not_found)")


STAFF = [has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)]


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "物业缴费"


# --- residents -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My households' bills (any verified member of the room sees them)"),
    retrieve=extend_schema(summary="One bill with its history"),
)
class BillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = MyBillFilterSet

    def get_queryset(self):
        queryset = selectors.bills_of(self.request.user)
        return selectors.with_history(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return s.BillDetailSerializer if self.action == "retrieve" else s.BillSerializer


def _payment_body(intent, params: dict) -> dict:
    return {
        "id": intent.pk,
        "out_trade_no": intent.out_trade_no,
        "amount_fen": intent.amount_fen,
        "status": intent.status,
        "expires_at": intent.expires_at,
        "bills": [int(part.reference) for part in intent.parts.order_by("id")],
        "client_params": params,
    }


class PaymentView(ApiView):
    schema_topic = "物业缴费"

    @extend_schema(
        summary="Pay one or several bills in one payment (send an Idempotency-Key)",
        description=(
            "One payment intent with one part per bill (bills of my households, unpaid, of one community; "
            "at most 36). The bills become `paid`, with one receipt, when the payment succeeds. A bill whose "
            "earlier payment is still open has that payment closed first (409 `bill_in_payment` if a "
            "concurrent payment holds it). 404 for a bill that is not my household's; 409 "
            f"`invalid_transition` for one that is not unpaid. The same `{HEADER}` replays the first answer."
        ),
        request=s.PaymentInputSerializer,
        responses={201: s.PaymentSerializer, 404: NOT_MINE},
    )
    @idempotent
    def post(self, request):
        data = self.validated(s.PaymentInputSerializer)
        intent = services.bills_pay(
            user=request.user, bill_ids=data["bills"], idempotency_key=request.headers.get(HEADER, "")
        )
        params = payments.payment_intent_prepare(intent=intent) if intent.status == "created" else {}
        return Response(s.PaymentSerializer(_payment_body(intent, params)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Receipts of my households' bills"),
    retrieve=extend_schema(summary="One receipt, with the link to its printable page"),
)
class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.ReceiptSerializer
    filterset_class = ReceiptFilterSet

    def get_queryset(self):
        return selectors.receipts_of(self.request.user)


# --- property staff ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Bills of my communities (or my estate), with filters"),
    retrieve=extend_schema(summary="One bill with its history"),
)
class StaffBillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = BillFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        queryset = selectors.bills_for_staff(self.request.user)
        return selectors.with_history(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return s.BillDetailSerializer if self.action == "retrieve" else s.BillSerializer

    def _detail(self, bill):
        fresh = selectors.with_history(selectors.bills_for_staff(self.request.user)).get(pk=bill.pk)
        return self.respond(s.BillDetailSerializer, fresh)

    @extend_schema(
        summary="Waive an unpaid bill (减免), with a reason",
        request=s.BillReasonInputSerializer,
        responses={200: s.BillDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        data = self.validated(s.BillReasonInputSerializer)
        return self._detail(services.bill_waive(bill=self.get_object(), actor=request.user, reason=data["reason"]))

    @extend_schema(
        summary="Change an unpaid bill's amount, with a reason (old and new amount kept in its history)",
        request=s.BillAdjustInputSerializer,
        responses={200: s.BillDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        data = self.validated(s.BillAdjustInputSerializer)
        bill = services.bill_adjust(bill=self.get_object(), actor=request.user, **data)
        return self._detail(bill)

    @extend_schema(
        summary="Refund part or all of a paid bill (send an Idempotency-Key)",
        description="Paid online: the bill's part of the payment is refunded through the provider and the bill "
        "changes when the refund arrives; paid at the counter: recorded at once. 409 `refund_exceeds_paid` "
        "above what is left.",
        request=s.BillRefundInputSerializer,
        responses={200: s.BillDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def refund(self, request, pk=None):
        data = self.validated(s.BillRefundInputSerializer)
        bill = services.bill_refund(bill=self.get_object(), actor=request.user, **data)
        return self._detail(bill)

    @extend_schema(
        summary="Arrears (unpaid bills) per building of my scope",
        parameters=[s.ArrearsQuerySerializer],
        responses={200: s.ArrearsBuildingSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def arrears(self, request):
        query = self.validated(s.ArrearsQuerySerializer, data=request.query_params)
        rows = selectors.arrears_by_building(user=request.user, estate_id=query.get("estate"))
        return Response(s.ArrearsBuildingSerializer(rows, many=True).data)

    @extend_schema(
        summary="Collection stats: billed, collected, arrears and collection rate per estate and month",
        description="The same numbers as the console's 物业费收缴率 widget (one selector).",
        parameters=[s.CollectionStatsQuerySerializer],
        responses={200: s.CollectionStatsSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def stats(self, request):
        query = self.validated(s.CollectionStatsQuerySerializer, data=request.query_params)
        this_month = timezone.localdate().replace(day=1)
        period_to = query.get("period_to") or this_month
        period_from = query.get("period_from") or fee_services.months_before(period_to, 5)
        scope = selectors.staff_scope(request.user)
        if query.get("estate"):
            scope &= Q(estate_id=query["estate"])
        rows = stats.collection_rows(scope=scope, period_from=period_from, period_to=period_to)
        body = {"period_from": period_from, "period_to": period_to, "rows": rows, "totals": stats.totals(rows)}
        return Response(s.CollectionStatsSerializer(body).data)


class StaffOfflinePaymentView(ApiView):
    schema_topic = "物业缴费"
    permission_classes = STAFF

    @extend_schema(
        summary="Record a payment at the counter (cash or bank transfer): the bills are paid, one receipt",
        description="Bills of my scope (404 otherwise), unpaid, of one community. Send an Idempotency-Key.",
        request=s.OfflinePaymentInputSerializer,
        responses={201: s.ReceiptSerializer, 404: NOT_MINE},
    )
    @idempotent
    def post(self, request):
        data = self.validated(s.OfflinePaymentInputSerializer)
        ids = set(data.pop("bills"))
        bills = list(selectors.bills_for_staff(request.user).filter(pk__in=ids))
        if len(bills) != len(ids):
            raise NotFoundError("账单不存在")
        receipt = services.bills_record_offline(bills=bills, actor=request.user, **data)
        fresh = selectors.receipts_for_staff(request.user).get(pk=receipt.pk)
        return self.respond(s.ReceiptSerializer, fresh, status.HTTP_201_CREATED)


class StaffBillRunView(ApiView):
    schema_topic = "物业缴费"
    permission_classes = STAFF

    @extend_schema(
        summary="Issue an estate's bills for a month (出账); running it again creates nothing new",
        request=s.BillRunInputSerializer,
        responses={200: s.BillRunSerializer},
    )
    def post(self, request):
        data = self.validated(s.BillRunInputSerializer)
        estates = Estate.objects.filter(selectors.staff_scope(request.user, estate_field="pk"), pk=data["estate"])
        if not estates.exists():
            raise NotFoundError("小区不存在")
        result = fee_services.bill_run(period=data["period"], estates=estates)
        return Response(s.BillRunSerializer(result).data)


@extend_schema_view(
    list=extend_schema(summary="Receipts of my communities' bills"),
    retrieve=extend_schema(summary="One receipt, with the link to its printable page"),
)
class StaffReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = s.ReceiptSerializer
    filterset_class = ReceiptFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.receipts_for_staff(self.request.user)
