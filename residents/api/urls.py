from rest_framework.routers import SimpleRouter

from residents.api import views

router = SimpleRouter()
router.register("residents/estates", views.EstateViewSet, basename="estate")
router.register("residents/work-order-categories", views.WorkOrderCategoryViewSet, basename="work-order-category")
router.register("residents/households", views.HouseholdViewSet, basename="household")
router.register("residents/verifications", views.VerificationViewSet, basename="verification")
router.register("residents/work-orders", views.WorkOrderViewSet, basename="work-order")
router.register("residents/announcements", views.AnnouncementViewSet, basename="announcement")
router.register("staff/verifications", views.StaffVerificationViewSet, basename="staff-verification")
router.register("staff/work-orders", views.StaffWorkOrderViewSet, basename="staff-work-order")
router.register("staff/announcements", views.StaffAnnouncementViewSet, basename="staff-announcement")
urlpatterns = router.urls
