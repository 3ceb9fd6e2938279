"""The real URLconf plus an endpoint with a deliberate N+1, for tests of the query-budget gate."""

from django.urls import include, path
from rest_framework import generics, permissions, serializers

from linli.regions.models import Community


class CommunityWithStreetName(serializers.ModelSerializer):
    street_name = serializers.CharField(source="street.name")

    class Meta:
        model = Community
        fields = ["id", "name", "street_name"]


class NPlusOneCommunities(generics.ListAPIView):
    queryset = Community.objects.all()  # no select_related("street"): one more query per row
    serializer_class = CommunityWithStreetName
    permission_classes = [permissions.AllowAny]


urlpatterns = [
    path("api/v1/test/n-plus-one/", NPlusOneCommunities.as_view()),
    path("", include("linli.urls")),
]
