from django.urls import path
from rest_framework.routers import SimpleRouter

from linli.devices.api import views

router = SimpleRouter()
router.register("staff/devices", views.StaffDeviceViewSet, basename="staff-device")

urlpatterns = [
    path("devices/heartbeat/", views.HeartbeatView.as_view(), name="device-heartbeat"),
    path("devices/commands/", views.CommandListView.as_view(), name="device-commands"),
    path("devices/commands/<int:pk>/ack/", views.CommandAckView.as_view(), name="device-command-ack"),
    path("devices/events/", views.EventView.as_view(), name="device-events"),
    *router.urls,
]
