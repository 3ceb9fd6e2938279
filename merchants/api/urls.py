from django.urls import path
from rest_framework.routers import SimpleRouter

from merchants.api.views import members, shops

router = SimpleRouter()
router.register("market/merchants", shops.MarketMerchantViewSet, basename="market-merchant")
router.register("market/products", shops.MarketProductViewSet, basename="market-product")
router.register("market/reviews", shops.MarketReviewViewSet, basename="market-review")
router.register("market/orders", shops.MarketOrderViewSet, basename="market-order")
router.register("market/cabinet-sessions", shops.CabinetSessionViewSet, basename="cabinet-session")
router.register("merchants/applications", shops.MyApplicationViewSet, basename="merchant-application")
router.register("merchants/invitations", members.MyInvitationViewSet, basename="merchant-invitation-to-me")
router.register("merchant/merchants", shops.MyMerchantViewSet, basename="merchant-shop")
router.register("merchant/products", shops.MerchantProductViewSet, basename="merchant-product")
router.register("merchant/orders", shops.MerchantOrderViewSet, basename="merchant-order")
router.register("merchant/members", members.MerchantMemberViewSet, basename="merchant-member")
router.register("merchant/invitations", members.MerchantInvitationViewSet, basename="merchant-invitation")
router.register("staff/merchant-applications", shops.StaffApplicationViewSet, basename="staff-merchant-application")

urlpatterns = [
    path("market/rice-mill/orders/", shops.RiceMillOrderView.as_view(), name="rice-mill-order"),
    path("market/devices/<slug:code>/", shops.MarketDeviceView.as_view(), name="market-device"),
    path("merchant/stats/", shops.MerchantStatsView.as_view(), name="merchant-stats"),
    *router.urls,
]
