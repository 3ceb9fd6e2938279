"""Joint inspection, case and statistics serializers."""

from rest_framework import serializers

from enforcement.api.serializers.reports import (
    CaseDraftSerializer,
    CaseRefSerializer,
    MatterRefSerializer,
    PhotosField,
    optional_choice,
)
from enforcement.models import (
    Case,
    CaseHistory,
    Finding,
    Inspection,
    Matter,
    Scenario,
    Target,
    Team,
)
from enforcement.services._common import MAX_PHOTOS
from linli.api.fields import DateField, DateTimeField
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from linli.uploads.api.serializers import AttachedPhotosSerializer

# --- joint inspections -------------------------------------------------------------------------


class TargetSerializer(ModelSerializer):
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
    planned_at = DateTimeField()
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


class FindingSerializer(ModelSerializer):
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


class InspectionSerializer(ModelSerializer):
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


class CaseEventSerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    from_status = optional_choice(Case.Status.choices, "Empty for the filing")

    class Meta:
        model = CaseHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]
        read_only_fields = fields


class CaseSerializer(ModelSerializer):
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
    from_ = DateField(required=False, help_text="First day (default: 364 days before `to`)")
    to = DateField(required=False, help_text="Last day, inclusive (default: today)")
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
    period_from = DateField(source="start")
    period_to = DateField(source="end")
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
