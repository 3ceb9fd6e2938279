"""The app's URLconf plus the bare view: the ceiling of Django on this machine (no database, no DRF)."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("linli.urls")),
]

handler400 = "linli.api.errors.handler400"
handler403 = "linli.api.errors.handler403"
handler404 = "linli.api.errors.handler404"
handler500 = "linli.api.errors.handler500"
