from django.urls import path

from enforcement.open311 import views

app_name = "open311"

urlpatterns = [
    path("discovery.json", views.DiscoveryView.as_view(), name="discovery-json"),
    path("discovery.xml", views.DiscoveryXMLView.as_view(), name="discovery-xml"),
    path("services.json", views.ServiceListView.as_view(), name="services-json"),
    path("services.xml", views.ServiceListXMLView.as_view(), name="services-xml"),
    path("services/<slug:service_code>.json", views.ServiceDefinitionView.as_view(), name="service-json"),
    path("services/<slug:service_code>.xml", views.ServiceDefinitionXMLView.as_view(), name="service-xml"),
    path("requests.json", views.RequestListView.as_view(), name="requests-json"),
    path("requests.xml", views.RequestListXMLView.as_view(), name="requests-xml"),
    path("requests/<int:pk>.json", views.RequestDetailView.as_view(), name="request-json"),
    path("requests/<int:pk>.xml", views.RequestDetailXMLView.as_view(), name="request-xml"),
    path("tokens/<slug:token>.json", views.TokenView.as_view(), name="token-json"),
    path("tokens/<slug:token>.xml", views.TokenXMLView.as_view(), name="token-xml"),
]

# Service Discovery is also answered one level up (/open311/discovery.json), where discovery
# documents usually live; the same view, outside the OpenAPI schema.
root_urlpatterns = [
    path("discovery.json", views.DiscoveryAliasView.as_view(), name="discovery-root-json"),
    path("discovery.xml", views.DiscoveryAliasXMLView.as_view(), name="discovery-root-xml"),
]
