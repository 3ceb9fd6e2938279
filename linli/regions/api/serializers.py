from rest_framework import serializers

from linli.api.prebuilt import PrebuiltFieldsMixin
from linli.regions.models import Community, Street


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "name", "kind", "city", "district", "code"]


class CommunitySerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    street = StreetSerializer(read_only=True)

    class Meta:
        model = Community
        fields = ["id", "name", "code", "address", "description", "is_future_community", "street"]
