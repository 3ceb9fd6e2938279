"""The real URLconf plus two routes that only tests need: a crashing view and an idempotent write."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from linli.api.errors import ConflictError
from linli.api.idempotency import idempotent
from linli.regions.models import Street


class Crash(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("boom")


def plain_crash(request):
    raise RuntimeError("boom outside DRF")


class StreetInput(serializers.Serializer):
    name = serializers.CharField()
    fail = serializers.BooleanField(default=False)


class CreateStreet(APIView):
    """Stands in for a money-moving endpoint: a write whose repeat must not write again."""

    @idempotent
    def post(self, request):
        data = StreetInput(data=request.data)
        data.is_valid(raise_exception=True)
        n = Street.objects.count() + 1
        street = Street.objects.create(name=f"{data.validated_data['name']}{n}", code=f"s-{n}", city="c", district="d")
        if data.validated_data["fail"]:
            raise ConflictError("rolled back after writing")
        return Response({"id": street.pk, "name": street.name}, status=201)


urlpatterns = [
    path("api/v1/test/crash/", Crash.as_view()),
    path("api/v1/test/plain-crash/", plain_crash),
    path("api/v1/test/streets/", CreateStreet.as_view()),
    path("", include("linli.urls")),
]
handler404 = "linli.api.errors.handler404"
handler500 = "linli.api.errors.handler500"
