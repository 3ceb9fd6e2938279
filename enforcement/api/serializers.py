"""Serializers. Residents and staff get *separate* report serializers: nothing internal (officers'
notes, internal history steps, handlers, escalation) is ever in a resident's one."""

from rest_framework import serializers

from enforcement.models import (
    Case,
    CaseHistory,
    Category,
    Finding,
    Inspection,
    Matter,
    ProblemReport,
    ReportHistory,
    ReportRequest,
    Scenario,
    Target,
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


def _optional_choice(choices, help_text=""):
    """Read-only choice that may be "" (not yet set): ModelSerializer would drop allow_blank."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


class ResidentReportSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    outcome = _optional_choice(ProblemReport.Outcome.choices, "Empty until handled")
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
    from_status = _optional_choice(ProblemReport.Status.choices, "Empty for the first step")
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
    outcome = _optional_choice(ProblemReport.Outcome.choices, "Empty until handled")
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


# --- joint inspections -------------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    street = RefSerializer(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "street",
            "address",
            "lat",
            "lng",
            "whitelisted",
            "whitelist_reason",
            "whitelist_until",
        ]
        read_only_fields = fields


class InspectionInputSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    matters = serializers.PrimaryKeyRelatedField(
        queryset=Matter.objects.filter(is_active=True), many=True, required=False, default=list
    )
    teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Empty: the teams responsible for the matters at the target's place",
    )
    planned_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices, default=Inspection.Kind.ROUTINE)
    scenario = serializers.PrimaryKeyRelatedField(
        queryset=Scenario.objects.all(), required=False, allow_null=True, default=None, help_text="监管一件事"
    )
    lead_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )


class FindingInputSerializer(serializers.Serializer):
    matter = serializers.PrimaryKeyRelatedField(queryset=Matter.objects.all())
    description = serializers.CharField(max_length=2000)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices, default=Finding.Severity.MINOR)
    photos = PhotosField(max_length=MAX_PHOTOS)


class FindingSerializer(serializers.ModelSerializer):
    matter = MatterRefSerializer(read_only=True)
    team = RefSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)
    photos = AttachedPhotosSerializer(source="photo_links")
    case = CaseRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "matter",
            "team",
            "recorded_by",
            "description",
            "severity",
            "photos",
            "report",
            "case",
            "created_at",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    target = TargetSerializer(read_only=True)
    lead_team = RefSerializer(read_only=True)
    team_count = serializers.IntegerField(read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    replaced_inspections = serializers.IntegerField(
        source="team_count", read_only=True, help_text="Separate inspections this joint one replaced (one per team)"
    )

    class Meta:
        model = Inspection
        fields = [
            "id",
            "target",
            "kind",
            "status",
            "planned_at",
            "lead_team",
            "team_count",
            "finding_count",
            "replaced_inspections",
            "started_at",
            "completed_at",
        ]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionSerializer):
    matters = MatterRefSerializer(many=True, read_only=True)
    teams = RefSerializer(many=True, read_only=True)
    scenario = RefSerializer(read_only=True, allow_null=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "scenario", "matters", "teams", "summary", "findings"]
        read_only_fields = fields


class SummaryInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class FindingCaseInputSerializer(serializers.Serializer):
    party_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    party_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- cases -------------------------------------------------------------------------------------


class CaseInputSerializer(CaseDraftSerializer):
    matter = serializers.PrimaryKeyRelatedField(queryset=Matter.objects.filter(is_active=True))
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )


class CaseEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    from_status = _optional_choice(Case.Status.choices, "Empty for the filing")

    class Meta:
        model = CaseHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    matter = MatterRefSerializer(read_only=True)
    team = RefSerializer(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "matter",
            "team",
            "party_name",
            "status",
            "penalty_fen",
            "filed_at",
            "push_status",
            "external_id",
            "platform_status",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    filed_by = UserRefSerializer(read_only=True, allow_null=True)
    history = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "party_code",
            "facts",
            "decision",
            "report",
            "finding",
            "filed_by",
            "decided_at",
            "closed_at",
            "push_attempts",
            "push_error",
            "pushed_at",
            "platform_status_at",
            "history",
        ]
        read_only_fields = fields


class CaseDecideInputSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=2000)
    penalty_fen = serializers.IntegerField(min_value=0, max_value=10**12, required=False, allow_null=True, default=None)


# --- statistics --------------------------------------------------------------------------------


class StatsQuerySerializer(serializers.Serializer):
    from_ = serializers.DateField(required=False, help_text="First day (default: 364 days before `to`)")
    to = serializers.DateField(required=False, help_text="Last day, inclusive (default: today)")
    team = serializers.IntegerField(required=False, min_value=1, help_text="Only this team")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a Python keyword as a query parameter
        return {name: fields[name] for name in ("from", "to", "team")}

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": ["结束日期不能早于开始日期"]})
        return attrs


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TeamStatsSerializer(serializers.Serializer):
    team = RefSerializer()
    kind = serializers.CharField()
    street = serializers.CharField(allow_null=True)
    reports = serializers.IntegerField()
    resolved = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    median_handling_hours = serializers.FloatField(allow_null=True)
    joint_inspections = serializers.IntegerField()
    cases_filed = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    period_from = serializers.DateField(source="start")
    period_to = serializers.DateField(source="end")
    joint_inspections = serializers.IntegerField()
    replaced_inspections = serializers.IntegerField(help_text="Separate inspections the joint ones replaced")
    problems_found = serializers.IntegerField()
    cases_filed = serializers.IntegerField()
    reports = serializers.IntegerField()
    reports_by_channel = CountSerializer(many=True)
    reports_by_outcome = CountSerializer(many=True)
    on_time_rate = serializers.FloatField(allow_null=True, help_text="Resolved by the deadline / resolved")
    median_handling_hours = serializers.FloatField(allow_null=True, help_text="Dispatch to outcome")
    per_team = TeamStatsSerializer(many=True)
