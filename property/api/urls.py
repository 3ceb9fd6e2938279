from django.urls import path
from rest_framework.routers import SimpleRouter

from property.api import gate

router = SimpleRouter()
router.register("property/visitor-passes", gate.VisitorPassViewSet, basename="visitor-pass")
router.register("property/visitor-entries", gate.VisitorEntryViewSet, basename="visitor-entry")
router.register("staff/property/visitor-passes", gate.StaffVisitorPassViewSet, basename="staff-visitor-pass")
router.register("staff/property/gate-entries", gate.StaffGateEntryViewSet, basename="staff-gate-entry")
router.register("staff/property/plate-reads", gate.StaffPlateReadViewSet, basename="staff-plate-read")

urlpatterns = [
    path("devices/gate/verify/", gate.GateVerifyView.as_view(), name="gate-verify"),
    *router.urls,
]
