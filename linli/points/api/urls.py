from django.urls import path
from rest_framework.routers import SimpleRouter

from linli.points.api import views

router = SimpleRouter()
router.register("points/catalogue", views.CatalogueViewSet, basename="points-catalogue")
router.register("points/redemptions", views.MyRedemptionViewSet, basename="points-redemption")
router.register("staff/points/items", views.StaffItemViewSet, basename="staff-points-item")
router.register("staff/points/redemptions", views.StaffRedemptionViewSet, basename="staff-points-redemption")
router.register("staff/points/adjustments", views.StaffAdjustmentViewSet, basename="staff-points-adjustment")
router.register("merchant/points/redemptions", views.MerchantRedemptionViewSet, basename="merchant-points-redemption")

urlpatterns = [
    path("points/", views.MyPointsView.as_view(), name="points"),
    path("points/statement/", views.StatementView.as_view(), name="points-statement"),
    *router.urls,
]
