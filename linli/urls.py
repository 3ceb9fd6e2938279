from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from linli.api.routing import flatten, grouped
from linli.api.views import healthz
from linli.observability.views import metrics
from linli.ops.views import healthz_detail

api_v1 = grouped(
    [
        *flatten(
            [
                "linli.accounts.api.urls",
                "linli.regions.api.urls",
                "linli.console.api.urls",
                "linli.uploads.api.urls",
                "linli.payments.api.urls",
                "merchants.api.urls",
                "linli.points.api.urls",
                "linli.notifications.api.urls",
                "linli.devices.api.urls",
                "linli.family.api.urls",
                "residents.api.urls",
                "health.api.urls",
                "events.api.urls",
                "enforcement.api.urls",
                "care.api.urls",
                "property.api.urls",
                "participation.api.urls",
            ]
        ),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
    ]
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("healthz/detail", healthz_detail, name="healthz-detail"),
    path("metrics", metrics, name="metrics"),
    path("open311/v2/", include("enforcement.open311.urls")),
    path("open311/", include(("enforcement.open311.urls_root", "open311-root"))),
    path("property/", include("property.urls")),  # printable receipts behind signed links
    path("events/", include("events.urls")),  # the printable volunteer summary behind a signed link
    path("points/", include("linli.points.urls")),  # printable statements behind signed links
]
# Uploaded images on local disk, for the embedded default only (static() is a no-op when DEBUG=0;
# production serves them from object storage or the reverse proxy).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "linli.api.errors.handler400"
handler403 = "linli.api.errors.handler403"
handler404 = "linli.api.errors.handler404"
handler500 = "linli.api.errors.handler500"
