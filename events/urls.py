"""HTML pages of the events app outside the API (mounted at /events/)."""

from django.urls import path

from events.volunteering import volunteer_summary

urlpatterns = [
    path("volunteer-summary/<str:token>/", volunteer_summary, name="events-volunteer-summary"),
]
