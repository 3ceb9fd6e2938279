"""到家办: residents' insurance applications, and the community staff's review queue."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from health import selectors
from health.api.serializers import (
    InsuranceApplicationInputSerializer,
    InsuranceApplicationSerializer,
    InsuranceReviewInputSerializer,
    ResubmitInputSerializer,
    StaffInsuranceApplicationSerializer,
)
from health.filters import InsuranceApplicationFilterSet
from health.services import insurance as services
from linli.accounts.models import Role
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet
from linli.regions.models import Community


@extend_schema_view(
    list=extend_schema(summary="My insurance applications"),
    retrieve=extend_schema(summary="One of my applications, with its history"),
)
class InsuranceApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "医保办理"
    serializer_class = InsuranceApplicationSerializer
    filterset_class = InsuranceApplicationFilterSet

    def get_queryset(self):
        return selectors.applications_of(self.request.user)

    @extend_schema(
        summary="Apply (慢特病认定 / 异地就医备案 / 零星报销 / 社保卡补换) to my community",
        request=InsuranceApplicationInputSerializer,
        responses={201: InsuranceApplicationSerializer},
    )
    def create(self, request):
        values = self.validated(InsuranceApplicationInputSerializer)
        community = None
        if values["community"] is not None:
            community = Community.objects.filter(pk=values["community"]).first()
            if community is None:
                raise ValidationError({"community": ["社区不存在"]})
        application = services.application_create(
            applicant=request.user,
            type=values["type"],
            details=values["details"],
            attachment_ids=values["attachments"],
            community=community,
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=application.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Answer a request for more information",
        request=ResubmitInputSerializer,
        responses=InsuranceApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        data = self.validated(ResubmitInputSerializer)
        application = services.application_resubmit(
            application=self.get_object(),
            applicant=request.user,
            details=data["details"],
            attachment_ids=data["attachments"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Insurance applications to review"),
    retrieve=extend_schema(summary="One application, with its history"),
)
class StaffInsuranceApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The review queue of the communities the staff member serves."""

    schema_topic = "医保办理"
    serializer_class = StaffInsuranceApplicationSerializer
    filterset_class = InsuranceApplicationFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]

    def get_queryset(self):
        return selectors.applications_for_staff(self.request.user)

    def _review(self, request, action_name):
        data = self.validated(InsuranceReviewInputSerializer)
        application = services.application_review(
            application=self.get_object(), reviewer=request.user, action=action_name, note=data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        summary="Approve",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, "approve")

    @extend_schema(
        summary="Reject (note required)",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._review(request, "reject")

    @extend_schema(
        summary="Ask the applicant for more information (note required)",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        return self._review(request, "request_info")
