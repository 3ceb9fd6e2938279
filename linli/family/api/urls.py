from rest_framework.routers import SimpleRouter

from linli.family.api import views

router = SimpleRouter()
router.register("family/bindings", views.BindingViewSet, basename="family-binding")
router.register("family/acts", views.ActViewSet, basename="family-act")
router.register("staff/family/managed-elders", views.StaffManagedElderViewSet, basename="staff-managed-elder")

urlpatterns = router.urls
