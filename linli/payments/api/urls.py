from django.urls import path
from rest_framework.routers import SimpleRouter

from linli.payments.api.views import (
    PaymentContractViewSet,
    PaymentIntentViewSet,
    WeChatMedInsNotifyView,
    WeChatPaymentNotifyView,
    WeChatPayScoreNotifyView,
    WeChatRefundNotifyView,
)

router = SimpleRouter()
router.register("payments/contracts", PaymentContractViewSet, basename="payment-contract")
router.register("payments", PaymentIntentViewSet, basename="payment")
urlpatterns = [
    path("payments/wechat/notify/", WeChatPaymentNotifyView.as_view(), name="wechatpay-notify"),
    path("payments/wechat/refund-notify/", WeChatRefundNotifyView.as_view(), name="wechatpay-refund-notify"),
    path("payments/wechat/med-ins-notify/", WeChatMedInsNotifyView.as_view(), name="wechatpay-med-ins-notify"),
    path("payments/wechat/payscore-notify/", WeChatPayScoreNotifyView.as_view(), name="wechatpay-payscore-notify"),
    *router.urls,
]
