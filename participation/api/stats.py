"""The staff's numbers for 红色礼享家: party members by type (with their service through the points
ledger, 在职 vs 社区), 报到 count, projects by status and published resources by kind. The console
widget (participation/dashboard.py) reads the same selectors."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from linli.accounts.models import Role
from linli.api.errors import NotFoundError, field_error
from linli.api.fields import DateField
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView
from participation.selectors import alliance as alliance_selectors
from participation.selectors import party as party_selectors


class ParticipationStatsQuerySerializer(serializers.Serializer):
    community = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="One of my communities; default: all of them"
    )
    date_from = DateField(required=False, help_text="Service points and 报到 from this day (inclusive)")
    date_to = DateField(required=False, help_text="… to this day (inclusive); default today")


class PartyMemberKindStatsSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="workplace (在职党员) / community (社区党员)")
    label = serializers.CharField()
    members = serializers.IntegerField(help_text="Confirmed party members")
    service_points = serializers.IntegerField(help_text="邻礼积分 they earned (any source) in the period")
    service_entries = serializers.IntegerField(help_text="How many awards that was")


class ParticipationCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ParticipationStatsSerializer(serializers.Serializer):
    party_members = PartyMemberKindStatsSerializer(many=True)
    reports = serializers.IntegerField(help_text="党员报到 records to these communities in the period")
    projects = ParticipationCountSerializer(many=True, help_text="Alliance projects by status")
    resources = ParticipationCountSerializer(many=True, help_text="Published resources by kind")


def period_bounds(date_from, date_to):
    """[from, to] days → aware [start, end) datetimes, or (None, None) when no start is given."""
    if date_from is None:
        return None, None
    date_to = date_to or timezone.localdate()
    if date_to < date_from:
        raise field_error("date_to", "结束日期不能早于开始日期")
    tz = timezone.get_current_timezone()
    return datetime.combine(date_from, time.min, tz), datetime.combine(date_to + timedelta(days=1), time.min, tz)


def stats(*, community_ids, start=None, end=None) -> dict:
    party = party_selectors.member_stats(community_ids=community_ids, start=start, end=end)
    alliance = alliance_selectors.alliance_stats(community_ids=community_ids)
    return {
        "party_members": party["members"],
        "reports": party["reports"],
        "projects": [{"key": r["status"], "label": r["label"], "count": r["count"]} for r in alliance["projects"]],
        "resources": [{"key": r["kind"], "label": r["label"], "count": r["count"]} for r in alliance["resources"]],
    }


class StatsView(ApiView):
    schema_topic = "红色礼享家统计"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]

    @extend_schema(
        summary="Party members by type (with their service), 报到, projects by status, resources by kind",
        description="Service is what confirmed party members earned in 邻礼积分 (volunteer hours, classes, "
        "any rule), counted separately for 在职党员 and 社区党员. Without `date_from`, all time.",
        parameters=[ParticipationStatsQuerySerializer],
        responses={
            200: ParticipationStatsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="`community` is not one of mine (not_found)"),
        },
    )
    def get(self, request):
        query = self.validated(ParticipationStatsQuerySerializer, data=request.query_params)
        ids = party_selectors.staff_community_ids(request.user)
        if query.get("community"):
            if query["community"] not in ids:
                raise NotFoundError("社区不存在")
            ids = {query["community"]}
        start, end = period_bounds(query.get("date_from"), query.get("date_to"))
        return self.respond(ParticipationStatsSerializer, stats(community_ids=sorted(ids), start=start, end=end))
