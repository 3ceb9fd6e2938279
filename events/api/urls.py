from django.urls import path
from rest_framework.routers import SimpleRouter

from .attendance import (
    MyVolunteerHoursView,
    MyVolunteerProfileView,
    StaffAttendanceViewSet,
    StaffEventAttendancesView,
)
from .views import (
    EventViewSet,
    MyRegistrationViewSet,
    StaffEventFeedbackView,
    StaffEventRegistrationsView,
    StaffEventViewSet,
    VenueBookingViewSet,
    VenueViewSet,
)

router = SimpleRouter()
router.register("events/registrations", MyRegistrationViewSet, basename="my-registration")
router.register("events", EventViewSet, basename="event")
router.register("staff/events/attendances", StaffAttendanceViewSet, basename="staff-attendance")
router.register("staff/events", StaffEventViewSet, basename="staff-event")
router.register("venues/bookings", VenueBookingViewSet, basename="venue-booking")
router.register("venues", VenueViewSet, basename="venue")

urlpatterns = [
    path(
        "staff/events/<int:id>/registrations/",
        StaffEventRegistrationsView.as_view(),
        name="staff-event-registrations",
    ),
    path("staff/events/<int:id>/feedback/", StaffEventFeedbackView.as_view(), name="staff-event-feedback"),
    path("staff/events/<int:id>/attendances/", StaffEventAttendancesView.as_view(), name="staff-event-attendances"),
    path("volunteering/me/", MyVolunteerProfileView.as_view(), name="my-volunteer-profile"),
    path("volunteering/me/hours/", MyVolunteerHoursView.as_view(), name="my-volunteer-hours"),
    *router.urls,
]
