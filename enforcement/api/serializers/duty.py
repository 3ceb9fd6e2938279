"""Serializers of enforcement geography (boundaries, locating a point), liaison stations and their
reports, duty shifts, officer positions and dispatch offers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enforcement.api.serializers.reports import (
    CategoryRefSerializer,
    MatterRefSerializer,
    PhotosField,
    StaffEventSerializer,
)
from enforcement.models import Boundary, Category, DispatchOffer, LiaisonStation, OfficerPosition, ProblemReport, Shift
from linli.api.fields import DateField, DateTimeField
from linli.api.serializers import LatField, LngField, ModelSerializer, RefSerializer, UserRefSerializer
from linli.uploads.api.serializers import AttachedPhotosSerializer

_GEOMETRY = {
    "type": "object",
    "description": "GeoJSON Polygon or MultiPolygon, coordinates [lng, lat] (WGS-84)",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
        "coordinates": {"type": "array", "items": {"type": "array", "items": {}}},
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(_GEOMETRY)
class GeometryField(serializers.JSONField):
    pass


class BoundarySerializer(ModelSerializer):
    street = RefSerializer(read_only=True)
    team = RefSerializer(read_only=True, allow_null=True, help_text="The squad, for a squad area")
    bbox = serializers.SerializerMethodField(help_text="[min_lng, min_lat, max_lng, max_lat]")

    class Meta:
        model = Boundary
        fields = ["id", "kind", "name", "street", "team", "bbox", "updated_at"]
        read_only_fields = fields

    def get_bbox(self, boundary) -> list[float]:
        return [boundary.min_lng, boundary.min_lat, boundary.max_lng, boundary.max_lat]


class BoundaryDetailSerializer(BoundarySerializer):
    geometry = GeometryField(read_only=True)

    class Meta(BoundarySerializer.Meta):
        fields = [*BoundarySerializer.Meta.fields, "geometry"]
        read_only_fields = fields


class LocateQuerySerializer(serializers.Serializer):
    lat = LatField()
    lng = LngField()
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A category code: also answer which team a report of it here would go to",
    )


class LocateSerializer(serializers.Serializer):
    township = RefSerializer(allow_null=True, help_text="null: outside every township polygon (the dispatcher)")
    village = RefSerializer(allow_null=True)
    team = RefSerializer(allow_null=True, help_text="Where a report of `category` here is routed; null: the dispatcher")


class StationSerializer(ModelSerializer):
    street = RefSerializer(read_only=True)
    village = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LiaisonStation
        fields = ["id", "name", "code", "street", "village", "lat", "lng", "phone", "is_active"]
        read_only_fields = fields


class LiaisonReportSerializer(ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    matter = MatterRefSerializer(read_only=True)
    street = RefSerializer(read_only=True, allow_null=True)
    team = RefSerializer(read_only=True, allow_null=True)
    station = RefSerializer(source="liaison.station", read_only=True)

    class Meta:
        model = ProblemReport
        fields = [
            "id",
            "channel",
            "category",
            "matter",
            "description",
            "station",
            "street",
            "address",
            "lat",
            "lng",
            "status",
            "team",
            "dispatched_at",
            "deadline_at",
            "outcome",
            "feedback",
            "created_at",
        ]
        read_only_fields = fields


class LiaisonReportDetailSerializer(LiaisonReportSerializer):
    photos = AttachedPhotosSerializer(source="photo_links")
    history = StaffEventSerializer(many=True, read_only=True)

    class Meta(LiaisonReportSerializer.Meta):
        fields = [*LiaisonReportSerializer.Meta.fields, "photos", "history"]
        read_only_fields = fields


class LiaisonReportInputSerializer(serializers.Serializer):
    station = serializers.IntegerField(help_text="My liaison station's id")
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())
    description = serializers.CharField(max_length=2000)
    photos = PhotosField()
    lat = LatField(required=False, allow_null=True, default=None, help_text="Default: the station's place")
    lng = LngField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def validate(self, data):
        if (data["lat"] is None) != (data["lng"] is None):
            raise serializers.ValidationError({"lat": "经纬度须同时提供"})
        return data


class LiaisonNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=450)


class ShiftSerializer(ModelSerializer):
    team = RefSerializer(read_only=True)
    officers = UserRefSerializer(many=True, read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "team", "date", "starts_at", "ends_at", "officers", "note"]
        read_only_fields = fields


class ShiftInputSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="Squad (team) id")
    date = DateField()
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=50)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PositionInputSerializer(serializers.Serializer):
    lat = LatField()
    lng = LngField()
    accuracy_m = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True, default=None)


class PositionSerializer(ModelSerializer):
    class Meta:
        model = OfficerPosition
        fields = ["lat", "lng", "accuracy_m", "reported_at"]
        read_only_fields = fields


class OfferSerializer(ModelSerializer):
    report = serializers.SerializerMethodField()
    team = RefSerializer(read_only=True)
    officer = UserRefSerializer(read_only=True)

    class Meta:
        model = DispatchOffer
        fields = [
            "id",
            "report",
            "team",
            "officer",
            "status",
            "distance_m",
            "position_source",
            "offered_at",
            "expires_at",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "category": {"type": "string"}},
            "required": ["id", "category"],
        }
    )
    def get_report(self, offer):
        return {"id": offer.report_id, "category": offer.report.category.name}


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
