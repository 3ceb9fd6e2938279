from linli.api.serializers import ModelSerializer
from linli.regions.models import Community, Street


class StreetSerializer(ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "name", "kind", "city", "district", "code"]


class CommunitySerializer(ModelSerializer):
    street = StreetSerializer(read_only=True)

    class Meta:
        model = Community
        fields = ["id", "name", "code", "address", "description", "is_future_community", "street"]
