from django.urls import path

from linli.console.api.views import StaffDashboardView

urlpatterns = [path("staff/dashboard/", StaffDashboardView.as_view(), name="staff-dashboard")]
