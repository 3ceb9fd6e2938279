from django.urls import path
from rest_framework.routers import SimpleRouter

from linli.notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("notifications/preferences/", views.PreferencesView.as_view(), name="notification-preferences"),
    path("notifications/subscriptions/", views.SubscriptionsView.as_view(), name="notification-subscriptions"),
    *router.urls,
]
