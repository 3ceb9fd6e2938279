"""Catalogue and problem-report serializers. Residents and staff get *separate* report serializers:
nothing internal (officers' notes, internal history steps, handlers, escalation) is ever in a
resident's one."""

from rest_framework import serializers

from enforcement.models import (
    Case,
    Category,
    Matter,
    ProblemReport,
    ReportHistory,
    ReportRequest,
    Team,
)
from enforcement.services._common import MAX_PHOTOS
from linli.api.fields import MaskedPhoneField
from linli.api.serializers import LatField, LngField, RefSerializer, UserRefSerializer
from linli.regions.models import Street
from linli.uploads.api.serializers import AttachedPhotosSerializer, UploadIdsField
from linli.uploads.models import Upload


class PhotosField(UploadIdsField):
    """Ids of my uploads (purpose `report`), in display order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_PHOTOS)
        super().__init__(purpose=Upload.Purpose.REPORT, **kwargs)


# --- catalogue ---------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="matter.domain.name", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "description", "domain"]
        read_only_fields = fields


class MatterSerializer(serializers.ModelSerializer):
    domain = RefSerializer(read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "code", "name", "domain", "legal_basis", "deadline_hours"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    street = RefSerializer(read_only=True, allow_null=True)
    open_reports = serializers.IntegerField(read_only=True, help_text="Reports it is working on now")

    class Meta:
        model = Team
        fields = ["id", "name", "code", "kind", "street", "phone", "open_reports"]
        read_only_fields = fields


class CategoryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MatterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


# --- reports: residents ------------------------------------------------------------------------


class ReportInputSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_public=True), help_text="Category code"
    )
    description = serializers.CharField(max_length=2000)
    photos = PhotosField(max_length=MAX_PHOTOS)
    lat = LatField()
    lng = LngField()
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    street = serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.all(), required=False, allow_null=True, help_text="Township, when known"
    )
    ignore_duplicates = serializers.BooleanField(
        default=False, help_text="File it even though an open report of the same kind is within ~50 m"
    )


class PublicEventSerializer(serializers.ModelSerializer):
    """A step of the loop as a resident sees it: what happened and when — no notes, no names."""

    class Meta:
        model = ReportHistory
        fields = ["action", "to_status", "created_at"]
        read_only_fields = fields


def optional_choice(choices, help_text=""):
    """Read-only choice that may be "" (not yet set): ModelSerializer would drop allow_blank."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


class ResidentReportSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    outcome = optional_choice(ProblemReport.Outcome.choices, "Empty until handled")
    photos = AttachedPhotosSerializer(source="photo_links")
    is_mine = serializers.SerializerMethodField()

    class Meta:
        model = ProblemReport
        fields = [
            "id",
            "category",
            "description",
            "photos",
            "lat",
            "lng",
            "address",
            "status",
            "outcome",
            "feedback",
            "rating",
            "rating_comment",
            "merged_into",
            "is_mine",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_mine(self, report) -> bool:
        request = self.context.get("request")
        return bool(request and report.reporter_id == request.user.pk)


class ResidentReportDetailSerializer(ResidentReportSerializer):
    timeline = PublicEventSerializer(source="public_events", many=True, read_only=True)

    class Meta(ResidentReportSerializer.Meta):
        fields = [*ResidentReportSerializer.Meta.fields, "timeline"]
        read_only_fields = fields


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    distance_m = serializers.FloatField()
    reported_at = serializers.DateTimeField()


class ReportRateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- reports: staff ----------------------------------------------------------------------------


STAFF_CHANNELS = [
    (ProblemReport.Channel.GRID.value, ProblemReport.Channel.GRID.label),
    (ProblemReport.Channel.PATROL.value, ProblemReport.Channel.PATROL.label),
    (ProblemReport.Channel.HOTLINE.value, ProblemReport.Channel.HOTLINE.label),
]


class StaffReportInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=STAFF_CHANNELS,
        help_text="grid (网格员), patrol (自主巡查), hotline (12345, command centre only)",
    )
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())
    description = serializers.CharField(max_length=2000)
    photos = PhotosField(max_length=MAX_PHOTOS)
    lat = LatField(required=False, allow_null=True, default=None)
    lng = LngField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    street = serializers.PrimaryKeyRelatedField(queryset=Street.objects.all(), required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class StaffEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    from_status = optional_choice(ProblemReport.Status.choices, "Empty for the first step")
    team = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportHistory
        fields = ["action", "from_status", "to_status", "actor", "team", "note", "internal", "created_at"]
        read_only_fields = fields


class ReportRequestSerializer(serializers.ModelSerializer):
    team = RefSerializer(read_only=True)
    requested_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "report",
            "kind",
            "status",
            "team",
            "reason",
            "extra_hours",
            "requested_by",
            "decided_by",
            "decision_note",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class CaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "number", "status"]
        read_only_fields = fields


class StaffReportSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    outcome = optional_choice(ProblemReport.Outcome.choices, "Empty until handled")
    matter = MatterRefSerializer(read_only=True)
    street = RefSerializer(read_only=True, allow_null=True)
    team = RefSerializer(read_only=True, allow_null=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProblemReport
        fields = [
            "id",
            "channel",
            "category",
            "matter",
            "description",
            "street",
            "address",
            "lat",
            "lng",
            "status",
            "team",
            "assignee",
            "dispatched_at",
            "deadline_at",
            "is_overdue",
            "escalation_level",
            "outcome",
            "created_at",
        ]
        read_only_fields = fields


class StaffReportDetailSerializer(StaffReportSerializer):
    """The handling team's view: contact phone in full (to call back), internal notes and history."""

    photos = AttachedPhotosSerializer(source="photo_links")
    external_media_url = serializers.CharField(
        read_only=True,
        help_text="A link given by an outside source (an Open311 client's media_url, an AI camera's snapshot): "
        "not one of our uploads, never fetched by us; empty when none",
    )
    reporter = UserRefSerializer(read_only=True, allow_null=True)
    contact_phone = MaskedPhoneField(reveal=lambda request, report: True)
    history = StaffEventSerializer(many=True, read_only=True)
    requests = ReportRequestSerializer(many=True, read_only=True)
    cases = CaseRefSerializer(many=True, read_only=True)
    device = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta(StaffReportSerializer.Meta):
        fields = [
            *StaffReportSerializer.Meta.fields,
            "photos",
            "external_media_url",
            "reporter",
            "contact_name",
            "contact_phone",
            "device",
            "resolved_at",
            "closed_at",
            "outcome_note",
            "feedback",
            "rating",
            "rating_comment",
            "merged_into",
            "history",
            "requests",
            "cases",
        ]
        read_only_fields = fields


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DispatchInputSerializer(NoteInputSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.filter(is_active=True))


class RerouteInputSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=300)
    matter = serializers.PrimaryKeyRelatedField(
        queryset=Matter.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )


class CaseDraftSerializer(serializers.Serializer):
    party_name = serializers.CharField(max_length=100)
    party_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    facts = serializers.CharField(max_length=5000)


class OutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ProblemReport.Outcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="Internal")
    photos = PhotosField(help_text=f"Ids of my uploads: after photos, added after the report's; {MAX_PHOTOS} in all")
    case = CaseDraftSerializer(required=False, allow_null=True, default=None, help_text="For case_filed")


class FeedbackInputSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=1000, help_text="What the reporter and followers are told")


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ExtensionInputSerializer(ReturnInputSerializer):
    extra_hours = serializers.IntegerField(min_value=1, max_value=720)


class MergeInputSerializer(NoteInputSerializer):
    into = serializers.PrimaryKeyRelatedField(queryset=ProblemReport.objects.all(), help_text="The report that goes on")


class DecideInputSerializer(NoteInputSerializer):
    approve = serializers.BooleanField()
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="Approving a return: dispatch straight to this team",
    )
