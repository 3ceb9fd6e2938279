from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from linli.api.views import healthz

admin.site.site_header = "邻礼通管理后台"
admin.site.site_title = "邻礼通管理后台"
admin.site.index_title = "工作台"

api_v1 = [
    path("", include("linli.accounts.api.urls")),
    path("", include("linli.regions.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
]

handler400 = "linli.api.errors.handler400"
handler403 = "linli.api.errors.handler403"
handler404 = "linli.api.errors.handler404"
handler500 = "linli.api.errors.handler500"
