from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.api.errors import NotFoundError
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView, ApiViewSet
from linli.payments import selectors, services
from linli.payments.api.serializers import (
    ContractAuthorizationSerializer,
    PaymentContractSerializer,
    PaymentIntentSerializer,
    SandboxCompleteSerializer,
)
from linli.payments.filters import PaymentIntentFilterSet
from linli.payments.models import PaymentNotification
from linli.payments.services import payscore


@extend_schema_view(
    list=extend_schema(summary="My payments, newest first"),
    retrieve=extend_schema(summary="One of my payments, with its refunds"),
)
class PaymentIntentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My payments (each order's payment lives here; the order's own API starts it)."""

    serializer_class = PaymentIntentSerializer
    filterset_class = PaymentIntentFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.intents_of(self.request.user)

    @extend_schema(
        summary="Sandbox: simulate the provider's payment callback",
        description=(
            "Only while LINLI_SANDBOX is on (404 otherwise). Goes through the same notification handler as a "
            "real WeChat Pay callback: a repeated call changes nothing. `result=fail` simulates a failed payment."
        ),
        request=SandboxCompleteSerializer,
        responses={200: PaymentIntentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sandbox-complete")
    def sandbox_complete(self, request, pk=None):
        intent = self.get_object()
        data = self.validated(SandboxCompleteSerializer)
        services.payment_sandbox_complete(intent=intent, succeed=data["result"] == "success")
        return Response(PaymentIntentSerializer(self.get_queryset().get(pk=intent.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="My payment authorisations (支付分)"),
)
class PaymentContractViewSet(mixins.ListModelMixin, ApiViewSet):
    """My standing payment authorisations (WeChat Pay Score), needed by the unmanned cabinet."""

    serializer_class = PaymentContractSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.contracts_of(self.request.user)

    @extend_schema(
        summary="Sandbox: accept the Pay Score authorisation",
        description="Only while LINLI_SANDBOX is on (404 otherwise); signing twice returns the same contract.",
        request=None,
        responses={201: PaymentContractSerializer},
    )
    @action(detail=False, methods=["post"], url_path="sandbox-sign")
    def sandbox_sign(self, request):
        contract = services.contract_sign_sandbox(user=request.user)
        return Response(PaymentContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start the Pay Score (支付分) authorisation",
        description=(
            "免确认模式: the unmanned cabinet charges after the visit without asking again. With WeChat Pay, open "
            "`navigate_to_mini_program` (wx.navigateToMiniProgram) or `open_business_view` (wx.openBusinessView); "
            "the contract becomes active when WeChat Pay confirms (poll the list). An active contract is returned "
            "as is; the sandbox signs at once. 409 `wechat_login_required` without a WeChat login, 409 "
            "`payscore_unavailable` when Pay Score is not set up, 502 `upstream_error` when WeChat Pay is down."
        ),
        request=None,
        responses={
            200: ContractAuthorizationSerializer,
            400: OpenApiResponse(ErrorSerializer, description="WeChat Pay refused (payscore_rejected)"),
            409: OpenApiResponse(ErrorSerializer, description="wechat_login_required / payscore_unavailable"),
            502: OpenApiResponse(ErrorSerializer, description="WeChat Pay unreachable (upstream_error)"),
        },
    )
    @action(detail=False, methods=["post"])
    def authorize(self, request):
        answer = payscore.contract_authorize_start(user=request.user)
        return Response(ContractAuthorizationSerializer(answer).data)

    @extend_schema(
        summary="End a payment authorisation",
        request=None,
        responses={200: PaymentContractSerializer},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        contract = services.contract_terminate(contract=self.get_object())
        return Response(PaymentContractSerializer(contract).data)


_NOTIFY_RESPONSES = {
    204: OpenApiResponse(description="Accepted (also for a repeated notification, which changes nothing)"),
    400: OpenApiResponse(ErrorSerializer, description="Undecryptable resource, or amount mismatch (amount_mismatch)"),
    401: OpenApiResponse(ErrorSerializer, description="Missing or invalid Wechatpay-Signature (invalid_signature)"),
    404: OpenApiResponse(ErrorSerializer, description="WeChat Pay is not configured here (not_found)"),
}


class WeChatNotifyView(ApiView):
    """WeChat Pay calls this; the signature headers are the authentication."""

    schema_audience = "平台"  # called by WeChat Pay

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []
    kind = "payment"

    def post(self, request):
        if not settings.WECHATPAY_MCH_ID:
            raise NotFoundError()
        notification = services.wechat_notification_receive(kind=self.kind, headers=request.headers, body=request.body)
        if notification.outcome == PaymentNotification.Outcome.AMOUNT_MISMATCH:
            return Response(
                {"code": "amount_mismatch", "message": "通知金额与订单金额不符"}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WeChatPaymentNotifyView(WeChatNotifyView):
    @extend_schema(
        summary="WeChat Pay callback: payment result (TRANSACTION.SUCCESS)",
        request=OpenApiTypes.OBJECT,
        responses=_NOTIFY_RESPONSES,
        auth=[],
    )
    def post(self, request):
        return super().post(request)


class WeChatRefundNotifyView(WeChatNotifyView):
    kind = "refund"

    @extend_schema(
        summary="WeChat Pay callback: refund result (REFUND.SUCCESS / ABNORMAL / CLOSED)",
        request=OpenApiTypes.OBJECT,
        responses=_NOTIFY_RESPONSES,
        auth=[],
    )
    def post(self, request):
        return super().post(request)


class WeChatMedInsNotifyView(WeChatNotifyView):
    kind = "med_ins"

    @extend_schema(
        summary="WeChat Pay callback: medical-insurance mixed payment result (医保混合收款成功通知)",
        description=(
            "The mixed order's `mix_pay_status` (MIX_PAY_SUCCESS / MIX_PAY_FAIL) goes through the same handler as "
            "the payment callback; its `wechat_pay_cash_fee` must equal the cash part (else 400 `amount_mismatch`, "
            "logged). 404 unless WeChat Pay and WECHATPAY_MED_INS_CITY_ID are configured."
        ),
        request=OpenApiTypes.OBJECT,
        responses=_NOTIFY_RESPONSES,
        auth=[],
    )
    def post(self, request):
        if not settings.WECHATPAY_MED_INS_CITY_ID:
            raise NotFoundError()
        return super().post(request)


class WeChatPayScoreNotifyView(WeChatNotifyView):
    @extend_schema(
        summary="WeChat Pay callback: Pay Score (PAYSCORE.USER_OPEN_SERVICE / USER_CLOSE_SERVICE / USER_PAID)",
        description=(
            "Authorisation accepted or ended, and service-order payments. 503 `notification_not_ready` asks "
            "WeChat Pay to call again (a payment for a service order whose completion is not recorded yet)."
        ),
        request=OpenApiTypes.OBJECT,
        responses={
            **_NOTIFY_RESPONSES,
            503: OpenApiResponse(ErrorSerializer, description="Try again later (notification_not_ready)"),
        },
        auth=[],
    )
    def post(self, request):
        if not settings.WECHATPAY_MCH_ID:
            raise NotFoundError()
        notification = payscore.payscore_notification_receive(headers=request.headers, body=request.body)
        if notification.outcome == PaymentNotification.Outcome.AMOUNT_MISMATCH:
            return Response(
                {"code": "amount_mismatch", "message": "通知金额与订单金额不符"}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
