from django.urls import path
from rest_framework.routers import SimpleRouter

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
    *router.urls,
]
