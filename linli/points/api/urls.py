from django.urls import path

from linli.points.api.views import MyPointsView

urlpatterns = [path("points/", MyPointsView.as_view(), name="points")]
