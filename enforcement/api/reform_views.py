"""监管一件事 scenarios, the reform's figures and the provincial sync records (staff API)."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from enforcement import figures as figure_selectors
from enforcement import scenarios as scenario_selectors
from enforcement import selectors, stats
from enforcement.api import serializers as s
from enforcement.api.serializers import reform as r
from enforcement.api.views import IsEnforcementStaff, Viewset
from enforcement.filters import ScenarioFilterSet, SyncedRecordFilterSet
from enforcement.models import Inspection, ProblemReport, SyncedRecord, SyncKind
from enforcement.services import scenarios as scenario_services
from enforcement.services import sync as sync_services
from linli.api.errors import NotFoundError
from linli.api.views import ApiView


def _period(view, serializer_class):
    query = view.validated(serializer_class, data=view.request.query_params)
    end = query.get("to") or stats.default_period()[1]
    start = query.get("from") or stats.default_period(end)[0]
    return query, start, end


@extend_schema_view(
    list=extend_schema(summary="监管一件事 scenarios with their lead department"),
    retrieve=extend_schema(summary="One scenario with its matters and the departments they concern"),
)
class ScenarioViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "监管一件事"
    permission_classes = [IsEnforcementStaff]
    filterset_class = ScenarioFilterSet

    def get_queryset(self):
        queryset = scenario_selectors.scenarios()
        return scenario_selectors.scenario_detail(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return r.ScenarioSerializer if self.action == "list" else r.ScenarioDetailSerializer

    @extend_schema(
        summary="Plan a joint inspection from the scenario (its matters and departments pre-filled)",
        description="The scenario's matters (plus `extra_matters`) at the target; without `teams` the teams "
        "responsible there. The scenario's lead department leads when it takes part. A routine inspection of a "
        "whitelisted target is 409 target_whitelisted; a caller whose team does not take part is 403 "
        "not_participant (dispatchers may plan any).",
        request=r.ScenarioPlanInputSerializer,
        responses={201: s.InspectionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        data = self.validated(r.ScenarioPlanInputSerializer)
        inspection = scenario_services.scenario_inspection_plan(actor=request.user, scenario=self.get_object(), **data)
        queryset = selectors.inspection_detail(selectors.inspections_for_staff(request.user))
        return self.respond(s.InspectionDetailSerializer, queryset.get(pk=inspection.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="The scenario's inspections, problems found and cases, in the period and by month",
        description="Counted in the caller's townships (district staff: the whole district).",
        parameters=[r.PeriodQuerySerializer],
        responses={200: r.ScenarioStatsSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def stats(self, request, pk=None):
        scenario = self.get_object()
        _, start, end = _period(self, r.PeriodQuerySerializer)
        scope = figure_selectors.township_scope(request.user)
        result = scenario_selectors.scenario_stats(scenario=scenario, start=start, end=end, street_ids=scope)
        return Response(r.ScenarioStatsSerializer(result).data)


class FiguresView(ApiView):
    schema_topic = "执法统计"
    permission_classes = [IsEnforcementStaff]

    @extend_schema(
        summary="The reform's figures: joint inspections → problems → cases, inspections saved, empowerment, "
        "reports by channel with time to dispatch and to close",
        description="Township teams see their townships; dispatchers and district departments the whole "
        "district (or `street`). A `street` outside the caller's townships is 404.",
        parameters=[r.FiguresQuerySerializer],
        responses={200: r.FiguresSerializer},
    )
    def get(self, request):
        query, start, end = _period(self, r.FiguresQuerySerializer)
        result = figure_selectors.figures_for(request.user, start=start, end=end, street_id=query.get("street"))
        if result is None:
            raise NotFoundError("乡镇（街道）不存在")
        return Response(r.FiguresSerializer(result).data)


@extend_schema_view(
    list=extend_schema(summary="Provincial sync of the reports and inspections I can see"),
    retrieve=extend_schema(summary="One synced record"),
)
class SyncedRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "省平台同步"
    permission_classes = [IsEnforcementStaff]
    serializer_class = r.SyncedRecordSerializer
    filterset_class = SyncedRecordFilterSet

    def get_queryset(self):
        user = self.request.user
        queryset = SyncedRecord.objects.order_by("-updated_at", "-id")
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a database
            return queryset.none()
        if selectors.is_dispatcher(user):
            return queryset
        # The reports and inspections the caller sees (selectors.reports_for_staff / inspections_for_staff),
        # as subqueries of the one query.
        mine = selectors.team_memberships().filter(user=user).values("scope_id")
        reports = ProblemReport.objects.filter(Q(team_id__in=mine) | Q(reporter=user)).values("pk")
        inspections = Inspection.teams.through.objects.filter(team_id__in=mine).values("inspection_id")
        return queryset.filter(
            Q(kind=SyncKind.REPORT, object_id__in=reports) | Q(kind=SyncKind.INSPECTION, object_id__in=inspections)
        )

    @extend_schema(
        summary="Push again after the retries ran out (dispatchers)",
        description="409 already_pushed when the province has the latest version, push_in_progress while "
        "a push is pending; 403 not_dispatcher for anyone else.",
        request=None,
        responses={200: r.SyncedRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def push(self, request, pk=None):
        record = sync_services.record_push_again(record=self.get_object(), actor=request.user)
        record.refresh_from_db()
        return self.respond(r.SyncedRecordSerializer, record)
