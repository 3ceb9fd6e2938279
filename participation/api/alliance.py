"""党建联盟 over HTTP, for three audiences:

* residents: what is on offer — published resources and the projects of their communities (read-only),
  under /participation/resources/ and /participation/projects/;
* community staff: alliances with their units, every resource, needs and projects of their communities,
  under /staff/participation/…; they publish needs and run projects;
* unit contacts (共建单位联络人): their units' resources (create, edit, publish, withdraw) and the projects
  using them, under /alliance/….

Anything outside the caller's scope is 404."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import NotFoundError, field_error
from linli.api.fields import DateField
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from linli.api.views import ApiViewSet
from linli.regions.models import Community
from participation.filters.alliance import NeedFilterSet, ProjectFilterSet, ResourceFilterSet
from participation.models import Alliance, AllianceUnit, Need, Project, ProjectHistory, Resource, ResourceKind
from participation.selectors import alliance as selectors
from participation.services import alliance as services

STAFF = [has_role(Role.COMMUNITY_STAFF)]
UNIT_MEMBER = [has_role(Role.ALLIANCE_MEMBER, scope="participation.AllianceUnit")]
NOT_MINE = OpenApiResponse(ErrorSerializer, description="A referenced object is not in my scope (not_found)")
ID = {"min_value": 1, "max_value": 2**63 - 1}

# --- serializers -------------------------------------------------------------------------------


class UnitRefSerializer(ModelSerializer):
    class Meta:
        model = AllianceUnit
        fields = ["id", "name", "kind"]


class ResourceSerializer(ModelSerializer):
    unit = UnitRefSerializer()
    alliance = RefSerializer(source="unit.alliance")

    class Meta:
        model = Resource
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "availability",
            "available_from",
            "available_until",
            "quantity",
            "status",
            "unit",
            "alliance",
            "created_at",
        ]


class ResourceRefSerializer(ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Resource
        fields = ["id", "kind", "title", "unit"]


class NeedRefSerializer(ModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "title"]


class ProjectSerializer(ModelSerializer):
    alliance = RefSerializer()
    community = RefSerializer()
    need = NeedRefSerializer(allow_null=True)
    resources = ResourceRefSerializer(many=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "status",
            "plan",
            "starts_on",
            "ends_on",
            "completed_on",
            "outcome",
            "beneficiaries",
            "alliance",
            "community",
            "need",
            "resources",
            "created_at",
        ]


class ProjectHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = ProjectHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]


class ProjectDetailSerializer(ProjectSerializer):
    history = ProjectHistorySerializer(many=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "history"]


class UnitSerializer(ModelSerializer):
    resource_count = serializers.IntegerField(help_text="资源数（任意状态）")

    class Meta:
        model = AllianceUnit
        fields = ["id", "name", "kind", "address", "contact_name", "contact_phone", "joined_on", "is_active"]
        fields = [*fields, "resource_count"]


class AllianceSerializer(ModelSerializer):
    street = RefSerializer(allow_null=True)
    community = RefSerializer(allow_null=True)
    units = UnitSerializer(many=True)

    class Meta:
        model = Alliance
        fields = ["id", "name", "street", "community", "description", "is_active", "units"]


class NeedSerializer(ModelSerializer):
    alliance = RefSerializer()
    community = RefSerializer()

    class Meta:
        model = Need
        fields = ["id", "title", "kind", "description", "status", "alliance", "community", "created_at"]


class ResourceInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, help_text="My unit (id); may be left out if I have one", **ID)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    title = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    availability = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=100, help_text="如 每周六上午"
    )
    available_from = DateField(required=False, allow_null=True, default=None)
    available_until = DateField(required=False, allow_null=True, default=None)
    quantity = serializers.CharField(required=False, default="", allow_blank=True, max_length=50)
    publish = serializers.BooleanField(required=False, default=True, help_text="false: 保存为草稿")


class ResourceUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False)
    title = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    availability = serializers.CharField(required=False, allow_blank=True, max_length=100)
    available_from = DateField(required=False, allow_null=True)
    available_until = DateField(required=False, allow_null=True)
    quantity = serializers.CharField(required=False, allow_blank=True, max_length=50)


class NeedInputSerializer(serializers.Serializer):
    alliance = serializers.IntegerField(help_text="An alliance covering the community (id)", **ID)
    community = serializers.IntegerField(help_text="One of my communities (id)", **ID)
    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False, default="", allow_blank=True)
    title = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ProjectInputSerializer(serializers.Serializer):
    need = serializers.IntegerField(help_text="A need of my communities (id)", **ID)
    resources = serializers.ListField(
        child=serializers.IntegerField(**ID), min_length=1, max_length=20, help_text="Resource ids of the alliance"
    )
    title = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    plan = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    starts_on = DateField()
    ends_on = DateField()


class ProjectCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=4000, help_text="成效报告")
    beneficiaries = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=10**7, help_text="受益人次"
    )
    completed_on = DateField(required=False, allow_null=True, default=None, help_text="默认今天")


class ProjectNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class ProjectReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# --- views: residents --------------------------------------------------------------------------


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "党建联盟"


@extend_schema_view(
    list=extend_schema(summary="Resources on offer from the alliances of my communities (published)"),
    retrieve=extend_schema(summary="One resource on offer"),
)
class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet

    def get_queryset(self):
        return selectors.resources_for_resident(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Alliance projects in my communities (not cancelled)"),
    retrieve=extend_schema(summary="One alliance project"),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return selectors.projects_for_resident(self.request.user)


# --- views: community staff --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Alliances of my communities and their streets, with their units"),
    retrieve=extend_schema(summary="One alliance with its units"),
)
class StaffAllianceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = AllianceSerializer
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.alliances_for_staff(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Resources of the alliances of my communities (any status)"),
    retrieve=extend_schema(summary="One resource"),
)
class StaffResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.resources_for_staff(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Needs of my communities"),
    retrieve=extend_schema(summary="One need"),
)
class StaffNeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = NeedSerializer
    filterset_class = NeedFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.needs_for_staff(self.request.user)

    @extend_schema(
        summary="Publish a need of one of my communities to an alliance covering it",
        description="404 for an alliance or a community outside my scope; 400 when the alliance does not "
        "cover the community.",
        request=NeedInputSerializer,
        responses={201: NeedSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(NeedInputSerializer)
        alliance = selectors.alliances_for_staff(request.user).filter(pk=data.pop("alliance")).first()
        community_id = data.pop("community")
        if alliance is None:
            raise NotFoundError("联盟不存在")
        if community_id not in selectors.staff_community_ids(request.user):
            raise NotFoundError("社区不存在")
        need = services.need_create(
            alliance=alliance, community=Community.objects.get(pk=community_id), actor=request.user, **data
        )
        return self.respond(NeedSerializer, self.get_queryset().get(pk=need.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a need (no more projects for it); 409 `need_closed` when it already is",
        request=None,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        need = services.need_close(need=self.get_object())
        return self.respond(NeedSerializer, self.get_queryset().get(pk=need.pk))


@extend_schema_view(
    list=extend_schema(summary="Alliance projects of my communities"),
    retrieve=extend_schema(summary="One project with its history"),
)
class StaffProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        queryset = selectors.projects_for_staff(self.request.user)
        return queryset if self.action == "list" else selectors.with_history(queryset)

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def _detail(self, project, code=status.HTTP_200_OK):
        return self.respond(ProjectDetailSerializer, self.get_queryset().get(pk=project.pk), code)

    @extend_schema(
        summary="Match a need with one or more resources of its alliance into a project (planned)",
        description="The need becomes `matched`. 409 `need_closed`; 400 for a resource of another alliance "
        "or not published; 404 for a need or resource outside my scope.",
        request=ProjectInputSerializer,
        responses={201: ProjectDetailSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(ProjectInputSerializer)
        need = selectors.needs_for_staff(request.user).filter(pk=data.pop("need")).first()
        if need is None:
            raise NotFoundError("需求不存在")
        wanted = set(data.pop("resources"))
        resources = list(selectors.resources_for_staff(request.user).filter(pk__in=wanted))
        if len(resources) != len(wanted):
            raise NotFoundError("资源不存在")
        if data["ends_on"] < data["starts_on"]:
            raise field_error("ends_on", "结束日期不能早于开始日期")
        project = services.project_create(need=need, resources=resources, actor=request.user, **data)
        return self._detail(project, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start a planned project (planned → in progress)",
        request=ProjectNoteInputSerializer,
        responses={200: ProjectDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        data = self.validated(ProjectNoteInputSerializer)
        return self._detail(services.project_start(project=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Complete a project in progress with its outcome report (in progress → completed)",
        request=ProjectCompleteSerializer,
        responses={200: ProjectDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self.validated(ProjectCompleteSerializer)
        return self._detail(services.project_complete(project=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Cancel a planned or running project, with a reason (→ cancelled)",
        request=ProjectReasonInputSerializer,
        responses={200: ProjectDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(ProjectReasonInputSerializer)
        return self._detail(services.project_cancel(project=self.get_object(), actor=request.user, **data))


# --- views: unit contacts ----------------------------------------------------------------------


class UnitViewset(Viewset):
    schema_topic = "共建单位"
    permission_classes = UNIT_MEMBER


@extend_schema_view(
    list=extend_schema(summary="My unit's resources (any status)"),
    retrieve=extend_schema(summary="One of my unit's resources"),
)
class UnitResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitViewset):
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Resource.objects.none()
        return selectors.resources_for_unit_member(self.request.user)

    def _detail(self, resource, code=status.HTTP_200_OK):
        return self.respond(ResourceSerializer, self.get_queryset().get(pk=resource.pk), code)

    @extend_schema(
        summary="Offer a resource of my unit (published at once unless `publish` is false)",
        description="`unit` may be left out when I am the contact of one unit only. 404 for a unit that is "
        "not mine; 409 `unit_inactive` when the unit has left the alliance.",
        request=ResourceInputSerializer,
        responses={201: ResourceSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(ResourceInputSerializer)
        mine = selectors.unit_ids_for(request.user)
        unit_id = data.pop("unit", None)
        if unit_id is None:
            if len(mine) != 1:
                raise field_error("unit", "请选择单位")
            (unit_id,) = mine
        unit = AllianceUnit.objects.filter(pk=unit_id, pk__in=mine).select_related("alliance").first()
        if unit is None:
            raise NotFoundError("单位不存在")
        resource = services.resource_create(unit=unit, **data)
        return self._detail(resource, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a resource of my unit",
        request=ResourceUpdateSerializer,
        responses={200: ResourceSerializer},
    )
    def partial_update(self, request, pk=None):
        resource = self.get_object()
        data = self.validated(ResourceUpdateSerializer, partial=True)
        return self._detail(services.resource_update(resource=resource, **data))

    @extend_schema(summary="Publish a draft or withdrawn resource", request=None, responses={200: ResourceSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._detail(services.resource_set_published(resource=self.get_object(), published=True))

    @extend_schema(
        summary="Withdraw a resource (residents no longer see it; projects using it keep it)",
        request=None,
        responses={200: ResourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._detail(services.resource_set_published(resource=self.get_object(), published=False))


@extend_schema_view(
    list=extend_schema(summary="Projects using my unit's resources"),
    retrieve=extend_schema(summary="One project using my unit's resources"),
)
class UnitProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitViewset):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return selectors.projects_for_unit_member(self.request.user)
