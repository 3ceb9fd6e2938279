from django.urls import path
from rest_framework.routers import SimpleRouter

from health.api.views.appointments import AppointmentViewSet, SlotViewSet
from health.api.views.catalogue import DepartmentViewSet, DrugViewSet
from health.api.views.consultations import ConsultationViewSet, DoctorConsultationViewSet, PrescriptionViewSet
from health.api.views.insurance import InsuranceApplicationViewSet, StaffInsuranceApplicationViewSet
from health.api.views.policies import PolicyViewSet, StaffPolicyViewSet
from health.api.views.vitals import AccessLogViewSet, FhirRecordView, KioskSessionViewSet, VitalReadingViewSet

router = SimpleRouter()
# Residents
router.register("health/departments", DepartmentViewSet, basename="health-department")
router.register("health/drugs", DrugViewSet, basename="health-drug")
router.register("health/consultations", ConsultationViewSet, basename="health-consultation")
router.register("health/prescriptions", PrescriptionViewSet, basename="health-prescription")
router.register("health/slots", SlotViewSet, basename="health-slot")
router.register("health/appointments", AppointmentViewSet, basename="health-appointment")
router.register("health/kiosk-sessions", KioskSessionViewSet, basename="health-kiosk-session")
router.register("health/vitals", VitalReadingViewSet, basename="health-vital")
router.register("health/records/access-log", AccessLogViewSet, basename="health-access-log")
router.register("health/insurance-applications", InsuranceApplicationViewSet, basename="health-insurance")
router.register("health/policies", PolicyViewSet, basename="health-policy")
# Doctors and community staff
router.register("staff/health/consultations", DoctorConsultationViewSet, basename="staff-health-consultation")
router.register(
    "staff/health/insurance-applications", StaffInsuranceApplicationViewSet, basename="staff-health-insurance"
)
router.register("staff/health/policies", StaffPolicyViewSet, basename="staff-health-policy")

urlpatterns = [
    path("health/records/fhir/", FhirRecordView.as_view(), name="health-fhir-record"),
    *router.urls,
]
