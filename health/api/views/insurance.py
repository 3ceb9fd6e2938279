"""到家办: residents' insurance applications, and the community staff's review queue."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from health import selectors
from health.api.permissions import IsCommunityStaff
from health.api.serializers import (
    InsuranceApplicationInputSerializer,
    InsuranceApplicationSerializer,
    InsuranceReviewInputSerializer,
    ResubmitInputSerializer,
    StaffInsuranceApplicationSerializer,
)
from health.filters import InsuranceApplicationFilterSet
from health.services import insurance as services
from linli.regions.models import Community


class InsuranceApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InsuranceApplicationSerializer
    filterset_class = InsuranceApplicationFilterSet

    def get_queryset(self):
        return selectors.applications_of(self.request.user)

    @extend_schema(summary="My insurance applications", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One of my applications, with its history", tags=["health"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Apply (慢特病认定 / 异地就医备案 / 零星报销 / 社保卡补换) to my community",
        request=InsuranceApplicationInputSerializer,
        responses={201: InsuranceApplicationSerializer},
        tags=["health"],
    )
    def create(self, request):
        data = InsuranceApplicationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
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
        tags=["health"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resubmit(self, request, pk=None):
        data = ResubmitInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        application = services.application_resubmit(
            application=self.get_object(),
            applicant=request.user,
            details=data.validated_data["details"],
            attachment_ids=data.validated_data["attachments"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)


class StaffInsuranceApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review queue of the communities the staff member serves."""

    serializer_class = StaffInsuranceApplicationSerializer
    filterset_class = InsuranceApplicationFilterSet
    permission_classes = [permissions.IsAuthenticated, IsCommunityStaff]

    def get_queryset(self):
        return selectors.applications_for_staff(self.request.user)

    @extend_schema(summary="Insurance applications to review", tags=["staff-health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One application, with its history", tags=["staff-health"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _review(self, request, action_name):
        data = InsuranceReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_review(
            application=self.get_object(), reviewer=request.user, action=action_name, note=data.validated_data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        summary="Approve",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
        tags=["staff-health"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self._review(request, "approve")

    @extend_schema(
        summary="Reject (note required)",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
        tags=["staff-health"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, pk=None):
        return self._review(request, "reject")

    @extend_schema(
        summary="Ask the applicant for more information (note required)",
        request=InsuranceReviewInputSerializer,
        responses=StaffInsuranceApplicationSerializer,
        tags=["staff-health"],
    )
    @action(detail=True, methods=["post"], url_path="request-info", filter_backends=[])
    def request_info(self, request, pk=None):
        return self._review(request, "request_info")
