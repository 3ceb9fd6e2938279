from rest_framework import serializers

from linli.api.prebuilt import PrebuiltFieldsMixin
from linli.api.serializers import ModelSerializer
from linli.points.models import PointsEntry


class PointsEntrySerializer(PrebuiltFieldsMixin, ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "amount", "balance_after", "reason", "created_at"]
        read_only_fields = fields


class PointsLedgerSerializer(serializers.Serializer):
    """The paginated envelope of GET /points/ plus the current balance."""

    balance = serializers.IntegerField(help_text="Current balance (邻礼积分)")
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PointsEntrySerializer(many=True)
