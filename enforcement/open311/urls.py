from django.urls import path

from enforcement.open311 import views

app_name = "open311"

urlpatterns = [
    path("services.json", views.ServiceListView.as_view(), name="services-json"),
    path("services.xml", views.ServiceListXMLView.as_view(), name="services-xml"),
    path("requests.json", views.RequestListView.as_view(), name="requests-json"),
    path("requests.xml", views.RequestListXMLView.as_view(), name="requests-xml"),
    path("requests/<int:pk>.json", views.RequestDetailView.as_view(), name="request-json"),
    path("requests/<int:pk>.xml", views.RequestDetailXMLView.as_view(), name="request-xml"),
]
