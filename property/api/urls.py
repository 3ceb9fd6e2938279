from django.urls import path
from rest_framework.routers import SimpleRouter

from property.api.views import bills, gate, vehicles

router = SimpleRouter()
router.register("property/bills", bills.BillViewSet, basename="property-bill")
router.register("property/receipts", bills.ReceiptViewSet, basename="property-receipt")
router.register("property/vehicles", vehicles.VehicleViewSet, basename="property-vehicle")
router.register("staff/property/bills", bills.StaffBillViewSet, basename="staff-property-bill")
router.register("staff/property/receipts", bills.StaffReceiptViewSet, basename="staff-property-receipt")
router.register("staff/property/vehicles", vehicles.StaffVehicleViewSet, basename="staff-property-vehicle")
router.register("property/visitor-passes", gate.VisitorPassViewSet, basename="visitor-pass")
router.register("property/visitor-entries", gate.VisitorEntryViewSet, basename="visitor-entry")
router.register("staff/property/visitor-passes", gate.StaffVisitorPassViewSet, basename="staff-visitor-pass")
router.register("staff/property/gate-entries", gate.StaffGateEntryViewSet, basename="staff-gate-entry")
router.register("staff/property/plate-reads", gate.StaffPlateReadViewSet, basename="staff-plate-read")
urlpatterns = [
    path("property/payments/", bills.PaymentView.as_view(), name="property-payment"),
    path(
        "staff/property/offline-payments/",
        bills.StaffOfflinePaymentView.as_view(),
        name="staff-property-offline-payment",
    ),
    path("staff/property/bill-runs/", bills.StaffBillRunView.as_view(), name="staff-property-bill-run"),
    path("devices/gate/verify/", gate.GateVerifyView.as_view(), name="gate-verify"),
    *router.urls,
]
