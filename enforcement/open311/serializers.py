"""Open311 GeoReport v2 field names (service_code, lat, long, address_string, status open/closed …)."""

from django.utils import timezone
from rest_framework import serializers

from enforcement.models import Category, ProblemReport
from enforcement.public import place_name, public_description, public_text, rough
from linli.api.fields import DateTimeField
from linli.api.serializers import ModelSerializer
from linli.uploads.api.serializers import PhotoSerializer

CLOSED = (ProblemReport.Status.FEEDBACK, ProblemReport.Status.CLOSED, ProblemReport.Status.MERGED)


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status")
    description = serializers.CharField()

    class Meta:
        ref_name = "Open311Error"


class ServiceSerializer(ModelSerializer):
    service_code = serializers.CharField(source="code")
    service_name = serializers.CharField(source="name")
    metadata = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    keywords = serializers.SerializerMethodField()
    group = serializers.CharField(source="matter.domain.name")

    class Meta:
        model = Category
        fields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
        read_only_fields = fields

    def get_metadata(self, category) -> bool:
        return True  # every service has a definition (services/{service_code}.json): its attributes

    def get_type(self, category) -> str:
        return "realtime"

    def get_keywords(self, category) -> str:
        return ",".join(filter(None, [category.matter.name, category.matter.domain.name]))


class EndpointSerializer(serializers.Serializer):
    specification = serializers.CharField(help_text="http://wiki.open311.org/GeoReport_v2")
    url = serializers.CharField(help_text="The endpoint's root: append services.json, requests.json …")
    changeset = serializers.CharField(help_text="When this endpoint last changed (ISO 8601)")
    type = serializers.ChoiceField(choices=["production", "test"])
    formats = serializers.ListField(child=serializers.CharField(), help_text="text/xml, application/json")


class DiscoverySerializer(serializers.Serializer):
    changeset = serializers.CharField(help_text="When this document last changed (ISO 8601)")
    contact = serializers.CharField()
    key_service = serializers.CharField(help_text="How to get an api_key")
    endpoints = EndpointSerializer(many=True)


class AttributeValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeSerializer(serializers.Serializer):
    variable = serializers.BooleanField(help_text="false: information only, not answered")
    code = serializers.CharField(help_text="Send the answer as attribute[code]")
    datatype = serializers.ChoiceField(
        choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    description = serializers.CharField()
    values = AttributeValueSerializer(many=True, help_text="For the list datatypes; empty otherwise")


class ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = AttributeSerializer(many=True)


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _float(value) -> float | None:
    return None if value is None else float(value)


class RequestSerializer(serializers.Serializer):
    """A service request, as the public may see it (enforcement/public.py): the outcome fed back, never
    internal notes, never who reported it; the township as the address and the point rounded to ~100 m;
    the description and media only when the reporter made them public, phones and ID numbers masked."""

    service_request_id = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(help_text="open or closed")
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.CharField(source="category.name")
    service_code = serializers.CharField(source="category.code")
    description = serializers.SerializerMethodField(help_text="Empty unless its reporter made it public")
    agency_responsible = serializers.SerializerMethodField()
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.SerializerMethodField()
    updated_datetime = serializers.SerializerMethodField()
    expected_datetime = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField(help_text="The township (乡镇/街道), never the exact address")
    address_id = serializers.SerializerMethodField()
    zipcode = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField(help_text="Rounded to 3 decimals (about 100 m)")
    long = serializers.SerializerMethodField(help_text="Rounded to 3 decimals (about 100 m)")
    media_url = serializers.SerializerMethodField(help_text="Empty unless its reporter made the photos public")

    def get_service_request_id(self, report) -> str:
        return str(report.pk)

    def get_status(self, report) -> str:
        return "closed" if report.status in CLOSED else "open"

    def get_status_notes(self, report) -> str:
        if report.status == ProblemReport.Status.MERGED:
            return f"重复上报，已并入 {report.merged_into_id} 号"
        if report.status in CLOSED:
            feedback = public_text(report.feedback)
            return f"{report.get_outcome_display()}：{feedback}" if report.outcome else feedback
        return report.get_status_display()

    def get_description(self, report) -> str:
        return public_description(report) or ""

    def get_address(self, report) -> str:
        return place_name(report)

    def get_lat(self, report) -> float | None:
        return _float(rough(report.lat))

    def get_long(self, report) -> float | None:
        return _float(rough(report.lng))

    def get_agency_responsible(self, report) -> str:
        return report.team.name if report.team_id else "越城区综合行政执法指挥中心"

    def get_service_notice(self, report) -> str:
        return ""

    def get_requested_datetime(self, report) -> str:
        return _iso(report.created_at)

    def get_updated_datetime(self, report) -> str:
        return _iso(report.updated_at)

    def get_expected_datetime(self, report) -> str | None:
        return _iso(report.deadline_at) if report.status not in CLOSED else None

    def get_address_id(self, report) -> str:
        return ""

    def get_zipcode(self, report) -> str:
        return ""

    def get_media_url(self, report) -> str:
        """Our report's first photo (one of our uploads); for a request received over Open311 (or a
        camera's detection) the link the source gave, as it gave it. Only when the report is public."""
        if not report.is_public:
            return ""
        links = report.photo_links.all()
        if links:
            return PhotoSerializer(links[0].upload, context=self.context).data["url"]
        return report.external_media_url


class RequestCreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_null=True)


class RequestInputSerializer(serializers.Serializer):
    api_key = serializers.CharField(
        max_length=200, help_text="Issued to your app in the admin; missing or wrong → 403 (also read from the query)"
    )
    service_code = serializers.CharField(max_length=40)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False)
    long = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False)
    address_string = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    address_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    media_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=100, required=False, allow_blank=True, default="")
    device_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    account_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    jurisdiction_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    attribute = serializers.DictField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=dict,
        help_text="The service definition's answers, sent as attribute[code]=key (form) or an object (JSON)",
    )

    def validate(self, attrs):
        has_point = "lat" in attrs and "long" in attrs
        if ("lat" in attrs) != ("long" in attrs):
            raise serializers.ValidationError({"long": ["lat 与 long 须同时提供"]})
        if not (has_point or attrs.get("address_string") or attrs.get("address_id")):
            raise serializers.ValidationError({"lat": ["须提供 lat/long、address_string 或 address_id 之一"]})
        return attrs


class RequestQuerySerializer(serializers.Serializer):
    service_request_id = serializers.RegexField(
        r"^\d{1,12}(,\d{1,12}){0,99}$", required=False, help_text="Comma-separated ids; other filters are ignored"
    )
    service_code = serializers.CharField(max_length=40, required=False)
    start_date = DateTimeField(required=False, help_text="ISO 8601; requested at or after")
    end_date = DateTimeField(required=False, help_text="ISO 8601; requested before")
    status = serializers.RegexField(r"^(open|closed)(,(open|closed))?$", required=False, help_text="open, closed")
    jurisdiction_id = serializers.CharField(max_length=100, required=False)
