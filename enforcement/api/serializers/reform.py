"""监管一件事 scenarios, the reform's figures and the provincial sync records."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enforcement import scenarios as scenario_selectors
from enforcement.api.serializers.reports import MatterSerializer
from enforcement.models import Inspection, Matter, Scenario, SyncedRecord, Target, Team
from linli.api.fields import DateField, DateTimeField
from linli.api.serializers import ModelSerializer, RefSerializer

# --- scenarios ---------------------------------------------------------------------------------


class ScenarioSerializer(ModelSerializer):
    lead_team = RefSerializer(read_only=True, allow_null=True, help_text="牵头部门")
    matter_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Scenario
        fields = ["id", "name", "place_kind", "description", "lead_team", "matter_count"]
        read_only_fields = fields


class ScenarioDetailSerializer(ScenarioSerializer):
    matters = MatterSerializer(many=True, read_only=True)
    departments = serializers.SerializerMethodField()

    class Meta(ScenarioSerializer.Meta):
        fields = [*ScenarioSerializer.Meta.fields, "matters", "departments"]
        read_only_fields = fields

    @extend_schema_field(RefSerializer(many=True))
    def get_departments(self, scenario) -> list[dict]:
        """The district departments of the matters' domains: who takes part where no township is empowered."""
        return [{"id": team.pk, "name": team.name} for team in scenario_selectors.departments_of(scenario)]


class ScenarioPlanInputSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    planned_at = DateTimeField()
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices, default=Inspection.Kind.ROUTINE)
    extra_matters = serializers.PrimaryKeyRelatedField(
        queryset=Matter.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Matters to check besides the scenario's",
    )
    teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Empty: the teams responsible for the matters at the target's place",
    )
    lead_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: the scenario's lead department if it takes part, else the caller's team",
    )


class PeriodQuerySerializer(serializers.Serializer):
    from_ = DateField(required=False, help_text="First day (default: 364 days before `to`)")
    to = DateField(required=False, help_text="Last day, inclusive (default: today)")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a Python keyword as a query parameter
        return {"from": fields["from"], **{k: v for k, v in fields.items() if k != "from"}}

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": ["结束日期不能早于开始日期"]})
        return attrs


class MonthCountsSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM (Asia/Shanghai)")
    inspections = serializers.IntegerField()
    problems_found = serializers.IntegerField()
    cases_filed = serializers.IntegerField()


class ScenarioStatsSerializer(serializers.Serializer):
    scenario = RefSerializer()
    period_from = DateField()
    period_to = DateField()
    inspections = serializers.IntegerField(help_text="Joint inspections from the scenario completed in the period")
    problems_found = serializers.IntegerField(help_text="Findings of those inspections")
    cases_filed = serializers.IntegerField(help_text="Cases filed from those findings")
    by_month = MonthCountsSerializer(many=True)


# --- the reform's figures ----------------------------------------------------------------------


class FiguresQuerySerializer(PeriodQuerySerializer):
    street = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this township (one of the caller's; district staff: any)"
    )


class EmpowermentFiguresSerializer(serializers.Serializer):
    street = RefSerializer()
    matters = serializers.IntegerField(help_text="Matters empowered on the period's last day")
    domains = serializers.IntegerField(help_text="Domains those matters belong to")
    domain_names = serializers.ListField(child=serializers.CharField())


class ChannelFiguresSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Reports received in the period (merged duplicates left out)")
    dispatched = serializers.IntegerField()
    median_hours_to_dispatch = serializers.FloatField(allow_null=True)
    average_hours_to_dispatch = serializers.FloatField(allow_null=True)
    closed = serializers.IntegerField()
    median_hours_to_close = serializers.FloatField(allow_null=True)
    average_hours_to_close = serializers.FloatField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    period_from = DateField(source="start")
    period_to = DateField(source="end")
    streets = RefSerializer(many=True, allow_null=True, help_text="The townships counted; null: the whole district")
    joint_inspections = serializers.IntegerField(help_text="综合查一次 completed in the period")
    problems_found = serializers.IntegerField(help_text="Findings recorded in those inspections")
    cases_from_inspections = serializers.IntegerField(help_text="Cases filed from those findings")
    inspections_replaced = serializers.IntegerField(
        help_text="Separate inspections they replace: one per participating team per joint inspection"
    )
    inspections_saved = serializers.IntegerField(help_text="inspections_replaced − joint_inspections")
    empowerment = EmpowermentFiguresSerializer(many=True)
    reports = serializers.IntegerField()
    reports_by_channel = ChannelFiguresSerializer(many=True)


# --- provincial sync records -------------------------------------------------------------------


class SyncedRecordSerializer(ModelSerializer):
    is_current = serializers.BooleanField(read_only=True, help_text="The province has the latest version")

    class Meta:
        model = SyncedRecord
        fields = [
            "id",
            "kind",
            "object_id",
            "version",
            "pushed_version",
            "is_current",
            "push_status",
            "push_attempts",
            "pushed_at",
            "push_error",
            "external_id",
            "platform_status",
            "platform_status_at",
            "updated_at",
        ]
        read_only_fields = fields
