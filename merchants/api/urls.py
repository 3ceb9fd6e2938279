from django.urls import path
from rest_framework.routers import SimpleRouter

from merchants.api import views

router = SimpleRouter()
router.register("market/merchants", views.MarketMerchantViewSet, basename="market-merchant")
router.register("market/products", views.MarketProductViewSet, basename="market-product")
router.register("market/reviews", views.MarketReviewViewSet, basename="market-review")
router.register("market/orders", views.MarketOrderViewSet, basename="market-order")
router.register("market/cabinet-sessions", views.CabinetSessionViewSet, basename="cabinet-session")
router.register("merchants/applications", views.MyApplicationViewSet, basename="merchant-application")
router.register("merchants/invitations", views.MyInvitationViewSet, basename="merchant-invitation-to-me")
router.register("merchant/merchants", views.MyMerchantViewSet, basename="merchant-shop")
router.register("merchant/products", views.MerchantProductViewSet, basename="merchant-product")
router.register("merchant/orders", views.MerchantOrderViewSet, basename="merchant-order")
router.register("merchant/members", views.MerchantMemberViewSet, basename="merchant-member")
router.register("merchant/invitations", views.MerchantInvitationViewSet, basename="merchant-invitation")
router.register("staff/merchant-applications", views.StaffApplicationViewSet, basename="staff-merchant-application")

urlpatterns = [
    path("market/rice-mill/orders/", views.RiceMillOrderView.as_view(), name="rice-mill-order"),
    path("market/devices/<slug:code>/", views.MarketDeviceView.as_view(), name="market-device"),
    path("merchant/stats/", views.MerchantStatsView.as_view(), name="merchant-stats"),
    *router.urls,
]
