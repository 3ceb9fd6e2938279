"""Thin HTTP layer: residents under /enforcement/, officers and grid workers under /staff/enforcement/."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from enforcement import selectors, stats
from enforcement.api import serializers as s
from enforcement.filters import (
    CaseFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    ReportRequestFilterSet,
    ResidentReportFilterSet,
    StaffReportFilterSet,
    TargetFilterSet,
    TeamFilterSet,
)
from enforcement.models import Matter, Target
from enforcement.services import cases as case_services
from enforcement.services import inspections as inspection_services
from enforcement.services import reports as report_services
from linli.accounts.models import Role
from linli.api.errors import NotFoundError
from linli.api.permissions import has_role
from linli.api.views import ApiView, ApiViewSet

IsEnforcementStaff = has_role(Role.OFFICER, Role.GRID_WORKER, scope="enforcement.Team", superuser=True)


class Viewset(ApiViewSet):  # ids in these URLs are numbers: anything else is a 404 at the router
    lookup_value_regex = r"\d+"


def _action(summary, request, response, description=""):
    return extend_schema(summary=summary, description=description, request=request, responses={200: response})


# --- catalogue ---------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Problem categories a resident can report"))
class CategoryViewSet(mixins.ListModelMixin, Viewset):
    schema_topic = "问题上报"
    queryset = selectors.public_categories()
    serializer_class = s.CategorySerializer


@extend_schema_view(
    list=extend_schema(summary="Enforcement matters (执法事项) with legal basis and deadline"),
    retrieve=extend_schema(summary="One matter"),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "执法事项"
    queryset = Matter.objects.filter(is_active=True).select_related("domain")
    serializer_class = s.MatterSerializer
    permission_classes = [IsEnforcementStaff]
    filterset_fields = ["domain"]


@extend_schema_view(
    list=extend_schema(summary="Teams: district departments, township teams, command centre"),
    retrieve=extend_schema(summary="One team with its open workload"),
)
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "执法事项"
    queryset = selectors.teams_with_counts()
    serializer_class = s.TeamSerializer
    permission_classes = [IsEnforcementStaff]
    filterset_class = TeamFilterSet


# --- reports: residents ------------------------------------------------------------------------


_MINE_OR_PUBLIC = (
    "My own reports in full (`is_mine` true); a report I only follow as its public summary: no reporter, "
    "the place rounded to ~100 m (`area`), the description (phones and ID numbers masked) and photos only "
    "when its reporter made them public."
)


@extend_schema_view(
    list=extend_schema(
        summary="My reports and the ones I follow",
        description=_MINE_OR_PUBLIC,
        responses=PolymorphicProxySerializer(
            "ResidentReportListItem", [s.ResidentReportSerializer, s.PublicReportSerializer], None
        ),
    ),
    retrieve=extend_schema(
        summary="One of my (or followed) reports: status, feedback, timeline",
        description=_MINE_OR_PUBLIC,
        responses=PolymorphicProxySerializer(
            "ResidentReportItem", [s.ResidentReportDetailSerializer, s.PublicReportDetailSerializer], None
        ),
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "问题上报"
    filterset_class = ResidentReportFilterSet

    def get_queryset(self):
        queryset = selectors.reports_of(self.request.user)
        return selectors.public_timeline(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return s.MyOrPublicReportSerializer if self.action == "list" else s.MyOrPublicReportDetailSerializer

    def _fresh(self, report):
        return selectors.public_timeline(selectors.reports_of(self.request.user)).get(pk=report.pk)

    def _detail(self, report, status_code=status.HTTP_200_OK):
        return self.respond(s.ResidentReportDetailSerializer, self._fresh(report), status_code)

    @extend_schema(
        summary="Report a problem (发现)",
        description="When an open report of the same category is within ~50 m the answer is 409 "
        "possible_duplicate with `duplicates` [{id, category, description, status, distance_m}]: follow one of "
        "them (POST …/{id}/follow/) or send again with ignore_duplicates=true.",
        request=s.ReportInputSerializer,
        responses={
            201: s.ResidentReportDetailSerializer,
            409: OpenApiResponse(
                inline_serializer(
                    "PossibleDuplicateError",
                    {
                        "code": serializers.CharField(),
                        "message": serializers.CharField(),
                        "duplicates": s.DuplicateSerializer(many=True, required=False),
                    },
                ),
                description="possible_duplicate (with duplicates) or another conflict",
            ),
        },
    )
    def create(self, request):
        report = report_services.report_submit(reporter=request.user, **self.validated(s.ReportInputSerializer))
        return self._detail(report, status.HTTP_201_CREATED)

    @_action(
        "Rate how it was handled (after feedback, once)",
        s.ReportRateInputSerializer,
        s.ResidentReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        data = self.validated(s.ReportRateInputSerializer)
        report = report_services.report_rate(
            report=self.get_object(), user=request.user, rating=data["rating"], comment=data["comment"]
        )
        return self._detail(report)

    @extend_schema(
        summary="Show or hide my report's description and photos to followers and Open311",
        description="Only the reporter; someone else's report is 404. Who reported it and the exact place "
        "are never shown, whatever the choice.",
        request=s.ReportVisibilityInputSerializer,
        responses={200: s.ResidentReportDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.validated(s.ReportVisibilityInputSerializer, partial=True)
        is_public = data.get("is_public", report.is_public)  # PATCH: what is not sent stays as it is
        return self._detail(report_services.report_set_public(report=report, user=request.user, is_public=is_public))

    @_action(
        "Follow a report (e.g. one offered as already reported): hear its outcome",
        None,
        s.PublicReportDetailSerializer,
        description="The answer is the report's public summary, as every follower sees it: category, status, "
        "the township and the place rounded to ~100 m, the public timeline; the description (phones and ID "
        "numbers masked) and photos only when its reporter made them public; never the reporter.",
    )
    @action(detail=True, methods=["post"])
    def follow(self, request, pk=None):
        report = get_object_or_404(selectors.followable_reports(), pk=pk)
        report_services.report_follow(report=report, user=request.user)
        return self.respond(s.PublicReportDetailSerializer, self._fresh(report))

    @extend_schema(summary="Stop following a report", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unfollow(self, request, pk=None):
        report_services.report_unfollow(report=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reports: staff ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Reports of my teams (dispatchers: all), overdue ones flagged"),
    retrieve=extend_schema(summary="One report with its full history, requests and cases"),
)
class StaffReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "线索处置"
    permission_classes = [IsEnforcementStaff]
    filterset_class = StaffReportFilterSet

    def get_queryset(self):
        queryset = selectors.reports_for_staff(self.request.user)
        return queryset if self.action == "list" else selectors.staff_report_detail(queryset)

    def get_serializer_class(self):
        return s.StaffReportSerializer if self.action == "list" else s.StaffReportDetailSerializer

    def _detail(self, report, status_code=status.HTTP_200_OK):
        queryset = selectors.staff_report_detail(selectors.with_overdue(selectors.all_reports()))
        return self.respond(s.StaffReportDetailSerializer, queryset.get(pk=report.pk), status_code)

    @extend_schema(
        summary="File a report: grid worker, self-patrol, or a 12345 hotline call (command centre)",
        request=s.StaffReportInputSerializer,
        responses={201: s.StaffReportDetailSerializer},
    )
    def create(self, request):
        report = report_services.report_file_by_staff(
            actor=request.user, **self.validated(s.StaffReportInputSerializer)
        )
        return self._detail(report, status.HTTP_201_CREATED)

    @_action(
        "Dispatch (流转) a waiting report to a team — dispatchers",
        s.DispatchInputSerializer,
        s.StaffReportDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_(self, request, pk=None):
        data = self.validated(s.DispatchInputSerializer)
        report = report_services.report_dispatch(report=self.get_object(), actor=request.user, **data)
        return self._detail(report)

    @_action(
        "Reroute to another team with a reason — dispatchers", s.RerouteInputSerializer, s.StaffReportDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        data = self.validated(s.RerouteInputSerializer)
        report = report_services.report_reroute(report=self.get_object(), actor=request.user, **data)
        return self._detail(report)

    @_action("Accept: the team takes it on (受理)", s.NoteInputSerializer, s.StaffReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        return self._detail(report_services.report_accept(report=self.get_object(), actor=request.user, **data))

    @_action("Start handling on site (处置)", s.NoteInputSerializer, s.StaffReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        return self._detail(report_services.report_handle(report=self.get_object(), actor=request.user, **data))

    @_action(
        "Record the outcome: persuaded, rectified, case_filed (files a case), not_valid",
        s.OutcomeInputSerializer,
        s.StaffReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        data = self.validated(s.OutcomeInputSerializer)
        report = report_services.report_outcome(report=self.get_object(), actor=request.user, **data)
        return self._detail(report)

    @_action(
        "Feed the outcome back to the reporter and followers (反馈)",
        s.FeedbackInputSerializer,
        s.StaffReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        data = self.validated(s.FeedbackInputSerializer)
        return self._detail(report_services.report_feedback(report=self.get_object(), actor=request.user, **data))

    @_action("Close the loop (办结)", s.NoteInputSerializer, s.StaffReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        return self._detail(report_services.report_close(report=self.get_object(), actor=request.user, **data))

    @_action(
        "Merge this duplicate into another report (its reporter and followers follow that one)",
        s.MergeInputSerializer,
        s.StaffReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        data = self.validated(s.MergeInputSerializer)
        into = selectors.reports_for_staff(request.user).filter(pk=data["into"].pk).first()
        if into is None:
            raise NotFoundError("目标线索不存在")
        report = report_services.report_merge(
            report=self.get_object(), into=into, actor=request.user, note=data["note"]
        )
        return self._detail(report)

    @extend_schema(
        summary="Ask the dispatcher to take back a mis-routed report",
        request=s.ReturnInputSerializer,
        responses={201: s.ReportRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = self.validated(s.ReturnInputSerializer)
        made = report_services.report_request_return(report=self.get_object(), actor=request.user, **data)
        return self.respond(s.ReportRequestSerializer, made, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ask the dispatcher for more time",
        request=s.ExtensionInputSerializer,
        responses={201: s.ReportRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        data = self.validated(s.ExtensionInputSerializer)
        made = report_services.report_request_extension(report=self.get_object(), actor=request.user, **data)
        return self.respond(s.ReportRequestSerializer, made, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Return and extension requests (dispatchers: all; teams: their own)"),
    retrieve=extend_schema(summary="One request"),
)
class ReportRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "线索处置"
    permission_classes = [IsEnforcementStaff]
    serializer_class = s.ReportRequestSerializer
    filterset_class = ReportRequestFilterSet

    def get_queryset(self):
        return selectors.requests_for_dispatcher(self.request.user)

    @_action("Approve or reject — dispatchers", s.DecideInputSerializer, s.ReportRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self.validated(s.DecideInputSerializer)
        decided = report_services.report_request_decide(request=self.get_object(), actor=request.user, **data)
        return self.respond(s.ReportRequestSerializer, decided)


# --- joint inspections -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Inspection targets, with their whitelist (免查) state"),
    retrieve=extend_schema(summary="One target"),
)
class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "综合查一次"
    queryset = Target.objects.select_related("street")
    serializer_class = s.TargetSerializer
    permission_classes = [IsEnforcementStaff]
    filterset_class = TargetFilterSet


@extend_schema_view(
    list=extend_schema(summary="Joint inspections (综合查一次) my teams take part in"),
    retrieve=extend_schema(summary="One joint inspection with its teams, matters and findings"),
)
class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "综合查一次"
    permission_classes = [IsEnforcementStaff]
    filterset_class = InspectionFilterSet

    def get_queryset(self):
        queryset = selectors.inspections_for_staff(self.request.user)
        return queryset if self.action == "list" else selectors.inspection_detail(queryset)

    def get_serializer_class(self):
        return s.InspectionSerializer if self.action == "list" else s.InspectionDetailSerializer

    def _detail(self, inspection, status_code=status.HTTP_200_OK):
        queryset = selectors.inspection_detail(selectors.inspections_for_staff(self.request.user))
        return self.respond(s.InspectionDetailSerializer, queryset.get(pk=inspection.pk), status_code)

    @extend_schema(
        summary="Plan a joint inspection of one target by the few teams that matter",
        description="Without `teams` the responsible teams are chosen from the matters and the target's place. "
        "A routine inspection of a whitelisted target is 409 target_whitelisted.",
        request=s.InspectionInputSerializer,
        responses={201: s.InspectionDetailSerializer},
    )
    def create(self, request):
        data = self.validated(s.InspectionInputSerializer)
        inspection = inspection_services.inspection_plan(actor=request.user, **data)
        return self._detail(inspection, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a finding (participating officers)",
        request=s.FindingInputSerializer,
        responses={201: s.FindingSerializer},
    )
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        data = self.validated(s.FindingInputSerializer)
        finding = inspection_services.inspection_finding_add(inspection=self.get_object(), actor=request.user, **data)
        return self.respond(s.FindingSerializer, finding, status.HTTP_201_CREATED)

    @_action("Complete the inspection (lead team)", s.SummaryInputSerializer, s.InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self.validated(s.SummaryInputSerializer)
        inspection = inspection_services.inspection_complete(inspection=self.get_object(), actor=request.user, **data)
        return self._detail(inspection)

    @_action("Cancel a planned inspection (lead team)", s.ReasonInputSerializer, s.InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(s.ReasonInputSerializer)
        inspection = inspection_services.inspection_cancel(inspection=self.get_object(), actor=request.user, **data)
        return self._detail(inspection)


@extend_schema_view(
    list=extend_schema(summary="Findings of the joint inspections I can see"),
    retrieve=extend_schema(summary="One finding"),
)
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "综合查一次"
    permission_classes = [IsEnforcementStaff]
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return selectors.findings_for_staff(self.request.user).select_related("recorded_by", "case")

    @extend_schema(
        summary="Turn the finding into a report of the loop",
        request=None,
        responses={201: s.StaffReportDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="report")
    def open_report(self, request, pk=None):
        report = inspection_services.finding_open_report(finding=self.get_object(), actor=request.user)
        queryset = selectors.staff_report_detail(selectors.with_overdue(selectors.all_reports()))
        return self.respond(s.StaffReportDetailSerializer, queryset.get(pk=report.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="File a case from the finding (party defaults to the target)",
        request=s.FindingCaseInputSerializer,
        responses={201: s.CaseDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="case")
    def file_case(self, request, pk=None):
        data = self.validated(s.FindingCaseInputSerializer)
        case = inspection_services.finding_file_case(finding=self.get_object(), actor=request.user, **data)
        return self.respond(
            s.CaseDetailSerializer,
            selectors.case_detail(selectors.cases_for_staff(request.user)).get(pk=case.pk),
            status.HTTP_201_CREATED,
        )


# --- cases -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Cases (立案) of my teams, with their provincial push status"),
    retrieve=extend_schema(summary="One case with its history"),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "立案"
    permission_classes = [IsEnforcementStaff]
    filterset_class = CaseFilterSet

    def get_queryset(self):
        queryset = selectors.cases_for_staff(self.request.user)
        return queryset if self.action == "list" else selectors.case_detail(queryset)

    def get_serializer_class(self):
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def _detail(self, case, status_code=status.HTTP_200_OK):
        queryset = selectors.case_detail(selectors.cases_for_staff(self.request.user))
        return self.respond(s.CaseDetailSerializer, queryset.get(pk=case.pk), status_code)

    @extend_schema(
        summary="File a case; it is pushed to the provincial platform",
        request=s.CaseInputSerializer,
        responses={201: s.CaseDetailSerializer},
    )
    def create(self, request):
        case = case_services.case_file(actor=request.user, **self.validated(s.CaseInputSerializer))
        return self._detail(case, status.HTTP_201_CREATED)

    @_action("Start the investigation (调查取证)", s.NoteInputSerializer, s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        return self._detail(case_services.case_investigate(case=self.get_object(), actor=request.user, **data))

    @_action("Record the decision and penalty", s.CaseDecideInputSerializer, s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self.validated(s.CaseDecideInputSerializer)
        return self._detail(case_services.case_decide(case=self.get_object(), actor=request.user, **data))

    @_action("Close the case (结案)", s.NoteInputSerializer, s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.validated(s.NoteInputSerializer)
        return self._detail(case_services.case_close(case=self.get_object(), actor=request.user, **data))

    @_action("Push to the provincial platform again after a failure", None, s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def push(self, request, pk=None):
        return self._detail(case_services.case_push_again(case=self.get_object(), actor=request.user))


# --- statistics --------------------------------------------------------------------------------


class StatsView(ApiView):
    schema_topic = "执法统计"
    permission_classes = [IsEnforcementStaff]

    @extend_schema(
        summary="Joint inspections, problems found, cases filed, reports by channel and outcome, on-time rate",
        description="Dispatchers see the district (or `team`); others see only their own teams.",
        parameters=[s.StatsQuerySerializer],
        responses={200: s.StatsSerializer},
    )
    def get(self, request):
        query = self.validated(s.StatsQuerySerializer, data=request.query_params)
        end = query.get("to") or stats.default_period()[1]
        start = query.get("from") or stats.default_period(end)[0]
        team = query.get("team")
        if selectors.is_dispatcher(request.user):
            team_ids = {team} if team else None
        else:
            team_ids = selectors.team_ids_of(request.user)
            if team:
                if team not in team_ids:
                    raise NotFoundError("队伍不存在")
                team_ids = {team}
        result = stats.enforcement_stats(start=start, end=end, team_ids=team_ids)
        return Response(s.StatsSerializer(result).data)
