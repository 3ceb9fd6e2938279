"""Catalogue and problem-report serializers. Residents and staff get *separate* report serializers:
nothing internal (officers' notes, internal history steps, handlers, escalation) is ever in a
resident's one. A resident who is not the reporter (a follower) gets the public summary only
(`PublicReportSerializer`, the rule is enforcement/public.py)."""

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
from enforcement.public import place_name, public_description, public_text, rough
from enforcement.services._common import MAX_PHOTOS
from linli.api.fields import DateTimeField, MaskedPhoneField
from linli.api.serializers import LatField, LngField, ModelSerializer, RefSerializer, UserRefSerializer
from linli.regions.models import Street
from linli.uploads.api.serializers import AttachedPhotosSerializer, UploadIdsField
from linli.uploads.models import Upload


class PhotosField(UploadIdsField):
    """Ids of my uploads (purpose `report`), in display order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_PHOTOS)
        super().__init__(purpose=Upload.Purpose.REPORT, **kwargs)


# --- catalogue ---------------------------------------------------------------------------------


class CategorySerializer(ModelSerializer):
    domain = serializers.CharField(source="matter.domain.name", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "description", "domain"]
        read_only_fields = fields


class MatterSerializer(ModelSerializer):
    domain = RefSerializer(read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "code", "name", "domain", "legal_basis", "deadline_hours"]
        read_only_fields = fields


class TeamSerializer(ModelSerializer):
    street = RefSerializer(read_only=True, allow_null=True)
    open_reports = serializers.IntegerField(read_only=True, help_text="Reports it is working on now")
    matters = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="A township squad's matters (ids); empty: every empowered matter"
    )
    accept_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Minutes an on-duty officer has to accept; null: the default"
    )

    class Meta:
        model = Team
        fields = ["id", "name", "code", "kind", "street", "phone", "matters", "accept_minutes", "open_reports"]
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
    is_public = serializers.BooleanField(
        default=False,
        help_text="Show the description (phones and ID numbers masked) and photos to followers and Open311; "
        "who reported it and the exact place are never shown",
    )
    ignore_duplicates = serializers.BooleanField(
        default=False, help_text="File it even though an open report of the same kind is within ~50 m"
    )


class ReportVisibilityInputSerializer(serializers.Serializer):
    is_public = serializers.BooleanField(help_text="Make the description and photos public, or private again")


class PublicEventSerializer(ModelSerializer):
    """A step of the loop as a resident sees it: what happened and when — no notes, no names."""

    class Meta:
        model = ReportHistory
        fields = ["action", "to_status", "created_at"]
        read_only_fields = fields


def viewer_is_reporter(context, report) -> bool:
    request = context.get("request")
    return bool(request and report.reporter_id == request.user.pk)


def optional_choice(choices, help_text=""):
    """Read-only choice that may be "" (not yet set): ModelSerializer would drop allow_blank."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


class ResidentReportSerializer(ModelSerializer):
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
            "is_public",
            "is_mine",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_mine(self, report) -> bool:
        return viewer_is_reporter(self.context, report)


class ResidentReportDetailSerializer(ResidentReportSerializer):
    """The reporter's own report, in full."""

    timeline = PublicEventSerializer(source="public_events", many=True, read_only=True)

    class Meta(ResidentReportSerializer.Meta):
        fields = [*ResidentReportSerializer.Meta.fields, "timeline"]
        read_only_fields = fields


class AreaSerializer(serializers.Serializer):
    """Where, roughly: the township and the point rounded to 3 decimals (about 100 m)."""

    street = serializers.CharField(help_text="Township (乡镇/街道); empty when not known")
    lat = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    lng = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)

    def to_representation(self, report):
        area = {"street": place_name(report), "lat": rough(report.lat), "lng": rough(report.lng)}
        return super().to_representation(area)


class PublicPhotosSerializer(AttachedPhotosSerializer):
    """A report's photos when its reporter made them public, else none."""

    def get_attribute(self, report):
        return super().get_attribute(report) if report.is_public else []


class PublicReportSerializer(ModelSerializer):
    """A report as someone who is not its reporter sees it (a follower): no reporter, no exact place,
    the description and photos only when the reporter made them public (identifiers masked)."""

    category = CategoryRefSerializer(read_only=True)
    outcome = optional_choice(ProblemReport.Outcome.choices, "Empty until handled")
    description = serializers.SerializerMethodField(
        help_text="Only when the reporter made it public, phones and ID numbers masked; else null"
    )
    photos = PublicPhotosSerializer(source="photo_links", help_text="Only when the reporter made them public")
    feedback = serializers.SerializerMethodField(help_text="What the team told the public, identifiers masked")
    area = AreaSerializer(source="*", read_only=True)
    is_mine = serializers.SerializerMethodField()

    class Meta:
        model = ProblemReport
        fields = [
            "id",
            "category",
            "description",
            "photos",
            "area",
            "status",
            "outcome",
            "feedback",
            "merged_into",
            "is_public",
            "is_mine",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_description(self, report) -> str | None:
        return public_description(report)

    def get_feedback(self, report) -> str:
        return public_text(report.feedback)

    def get_is_mine(self, report) -> bool:
        return viewer_is_reporter(self.context, report)


class PublicReportDetailSerializer(PublicReportSerializer):
    """A followed report with its public timeline: the steps, never notes or names."""

    timeline = PublicEventSerializer(source="public_events", many=True, read_only=True)

    class Meta(PublicReportSerializer.Meta):
        fields = [*PublicReportSerializer.Meta.fields, "timeline"]
        read_only_fields = fields


class MyOrPublicReportSerializer(serializers.Serializer):
    """A resident's list row: their own report in full, a followed one as its public summary.
    (Schema: the views document it as one of the two; no fields of its own for OPTIONS to list.)"""

    mine, others = ResidentReportSerializer, PublicReportSerializer

    def to_representation(self, report):
        serializer = self.mine if viewer_is_reporter(self.context, report) else self.others
        return serializer(report, context=self.context).data


class MyOrPublicReportDetailSerializer(MyOrPublicReportSerializer):
    mine, others = ResidentReportDetailSerializer, PublicReportDetailSerializer


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    description = serializers.CharField(
        allow_null=True, help_text="Only when its reporter made it public, identifiers masked; else null"
    )
    status = serializers.CharField()
    distance_m = serializers.FloatField()
    reported_at = DateTimeField()


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


class StaffEventSerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    from_status = optional_choice(ProblemReport.Status.choices, "Empty for the first step")
    team = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportHistory
        fields = ["action", "from_status", "to_status", "actor", "team", "note", "internal", "created_at"]
        read_only_fields = fields


class ReportRequestSerializer(ModelSerializer):
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


class CaseRefSerializer(ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "number", "status"]
        read_only_fields = fields


class StaffReportSerializer(ModelSerializer):
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
            "is_public",
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
