from django.urls import path
from rest_framework.routers import SimpleRouter

from care.api import alarms, childcare, views

router = SimpleRouter()
router.register("care/services", views.CareServiceViewSet, basename="care-service")
router.register("care/orders", views.CareOrderViewSet, basename="care-order")
router.register("care/subsidy/entries", views.SubsidyEntryViewSet, basename="care-subsidy-entry")
router.register("care/visits", views.MyVisitViewSet, basename="care-visit")
router.register("staff/care/assignments", views.AssignmentViewSet, basename="care-assignment")
router.register("staff/care/provider-orders", views.ProviderOrderViewSet, basename="care-provider-order")
router.register("staff/care/provider-workers", views.ProviderWorkerViewSet, basename="care-provider-worker")
router.register("staff/care/subsidy-accounts", views.SubsidyAccountViewSet, basename="care-subsidy-account")
router.register("staff/care/visit-plans", views.VisitPlanViewSet, basename="care-visit-plan")
router.register("staff/care/visits", views.StaffVisitViewSet, basename="care-staff-visit")
# 一键呼叫 and 托育
router.register("care/alarms", alarms.AlarmViewSet, basename="care-alarm")
router.register("staff/care/alarms", alarms.StaffAlarmViewSet, basename="staff-care-alarm")
router.register("care/childcare/classes", childcare.ChildcareClassViewSet, basename="childcare-class")
router.register("care/childcare/children", childcare.ChildViewSet, basename="childcare-child")
router.register("care/childcare/enrolments", childcare.EnrolmentViewSet, basename="childcare-enrolment")
router.register("care/childcare/bills", childcare.FeeBillViewSet, basename="childcare-bill")
router.register(
    "staff/care/childcare/enrolments", childcare.StaffEnrolmentViewSet, basename="staff-childcare-enrolment"
)
urlpatterns = [
    path("care/subsidy/", views.SubsidyBalanceView.as_view(), name="care-subsidy"),
    *router.urls,
]
