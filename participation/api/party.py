"""Party members over HTTP: a resident registers and reports (党员报到) under /participation/party-members/;
community staff confirm, reject or revoke under /staff/participation/party-members/ and see the 报到
records to their communities. Someone else's registration is 404."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import NotFoundError
from linli.api.fields import DateField
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from linli.api.views import ApiViewSet
from linli.regions.models import Community
from participation.filters.party import PartyMemberFilterSet, PartyReportFilterSet
from participation.models import PartyMember, PartyMemberHistory, PartyReport
from participation.selectors import party as selectors
from participation.services import party as services

STAFF = [has_role(Role.COMMUNITY_STAFF)]
NOT_MINE = OpenApiResponse(ErrorSerializer, description="The community is not one of mine (not_found)")
ID = {"min_value": 1, "max_value": 2**63 - 1}

# --- serializers -------------------------------------------------------------------------------


class PartyReportSerializer(ModelSerializer):
    community = RefSerializer()

    class Meta:
        model = PartyReport
        fields = ["id", "community", "reported_on", "workplace", "note", "created_at"]


class PartyMemberSerializer(ModelSerializer):
    community = RefSerializer()
    reports = PartyReportSerializer(many=True)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "community",
            "kind",
            "organisation",
            "joined_on",
            "workplace",
            "status",
            "created_at",
            "reports",
        ]


class PartyMemberHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = PartyMemberHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]


class StaffPartyMemberSerializer(PartyMemberSerializer):
    user = UserRefSerializer()

    class Meta(PartyMemberSerializer.Meta):
        fields = [*PartyMemberSerializer.Meta.fields, "user"]


class StaffPartyMemberDetailSerializer(StaffPartyMemberSerializer):
    history = PartyMemberHistorySerializer(many=True)

    class Meta(StaffPartyMemberSerializer.Meta):
        fields = [*StaffPartyMemberSerializer.Meta.fields, "history"]


class ReportMemberSerializer(ModelSerializer):
    user = UserRefSerializer()
    community = RefSerializer()

    class Meta:
        model = PartyMember
        fields = ["id", "user", "kind", "organisation", "community"]


class StaffPartyReportSerializer(PartyReportSerializer):
    member = ReportMemberSerializer()

    class Meta(PartyReportSerializer.Meta):
        fields = [*PartyReportSerializer.Meta.fields, "member"]


class PartyMemberInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(help_text="One of my communities (id)", **ID)
    kind = serializers.ChoiceField(choices=PartyMember.Kind.choices)
    organisation = serializers.CharField(max_length=100, help_text="所在党组织，如 白云街道机关第一党支部")
    joined_on = DateField(help_text="入党日期")
    workplace = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True, help_text="工作单位（在职党员必填）"
    )


class PartyReportInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(help_text="The community I live in and report to (id)", **ID)
    reported_on = DateField(required=False, help_text="报到日期，默认今天")
    workplace = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class PartyMemberReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class PartyMemberNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


def _community(pk: int) -> Community:
    community = Community.objects.filter(pk=pk).first()
    if community is None:
        raise NotFoundError("社区不存在")
    return community


# --- views -------------------------------------------------------------------------------------


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "党员"


@extend_schema_view(
    list=extend_schema(summary="My party-member registrations (current and past) with my 报到 records"),
    retrieve=extend_schema(summary="One of my party-member registrations"),
)
class PartyMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = PartyMemberSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PartyMember.objects.none()
        return selectors.members_of(self.request.user)

    def _detail(self, member, code=status.HTTP_200_OK):
        return self.respond(PartyMemberSerializer, self.get_queryset().get(pk=member.pk), code)

    @extend_schema(
        summary="Register as a party member in one of my communities (waits for the community staff)",
        description="在职党员 (kind `workplace`) give their `workplace`. 409 `already_registered` while another "
        "registration is pending or confirmed; 404 for a community I am not a resident of.",
        request=PartyMemberInputSerializer,
        responses={201: PartyMemberSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(PartyMemberInputSerializer)
        community = _community(data.pop("community"))
        member = services.party_member_register(user=request.user, community=community, **data)
        return self._detail(member, status.HTTP_201_CREATED)

    @extend_schema(
        summary="党员报到: report to a community I live in (confirmed 在职党员, once per community)",
        description="409 `member_not_confirmed`, `not_workplace_member` (社区党员 need not report), "
        "`already_reported`; 404 for a community I am not a resident of.",
        request=PartyReportInputSerializer,
        responses={201: PartyMemberSerializer, 404: NOT_MINE},
    )
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        member = self.get_object()
        data = self.validated(PartyReportInputSerializer)
        community = _community(data.pop("community"))
        services.party_report_create(member=member, community=community, **data)
        return self._detail(member, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Party-member registrations in my communities"),
    retrieve=extend_schema(summary="One registration with its history"),
)
class StaffPartyMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = StaffPartyMemberSerializer
    filterset_class = PartyMemberFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        queryset = selectors.members_for_staff(self.request.user)
        return selectors.with_history(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return StaffPartyMemberSerializer if self.action == "list" else StaffPartyMemberDetailSerializer

    def _detail(self, member):
        return self.respond(StaffPartyMemberDetailSerializer, self.get_queryset().get(pk=member.pk))

    @extend_schema(
        summary="Confirm a registration (pending → confirmed)",
        request=PartyMemberNoteInputSerializer,
        responses={200: StaffPartyMemberDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = self.validated(PartyMemberNoteInputSerializer)
        return self._detail(services.party_member_confirm(member=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Reject a registration, with a reason (pending → rejected)",
        request=PartyMemberReasonInputSerializer,
        responses={200: StaffPartyMemberDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.validated(PartyMemberReasonInputSerializer)
        return self._detail(services.party_member_reject(member=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Revoke a confirmed registration, with a reason (confirmed → revoked)",
        request=PartyMemberReasonInputSerializer,
        responses={200: StaffPartyMemberDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = self.validated(PartyMemberReasonInputSerializer)
        return self._detail(services.party_member_revoke(member=self.get_object(), actor=request.user, **data))


@extend_schema_view(list=extend_schema(summary="党员报到 records to my communities"))
class StaffPartyReportViewSet(mixins.ListModelMixin, Viewset):
    serializer_class = StaffPartyReportSerializer
    filterset_class = PartyReportFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        return selectors.reports_for_staff(self.request.user)
