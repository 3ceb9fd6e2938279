from rest_framework.routers import SimpleRouter

from care.api import alarms, childcare

router = SimpleRouter()
router.register("care/alarms", alarms.AlarmViewSet, basename="care-alarm")
router.register("staff/care/alarms", alarms.StaffAlarmViewSet, basename="staff-care-alarm")
router.register("care/childcare/classes", childcare.ChildcareClassViewSet, basename="childcare-class")
router.register("care/childcare/children", childcare.ChildViewSet, basename="childcare-child")
router.register("care/childcare/enrolments", childcare.EnrolmentViewSet, basename="childcare-enrolment")
router.register("care/childcare/bills", childcare.FeeBillViewSet, basename="childcare-bill")
router.register(
    "staff/care/childcare/enrolments", childcare.StaffEnrolmentViewSet, basename="staff-childcare-enrolment"
)
urlpatterns = router.urls
