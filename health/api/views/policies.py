"""到家讲: policy articles for residents (by audience), and the staff's side with read counts."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from health import selectors
from health.api.permissions import IsCommunityStaff
from health.api.serializers import (
    PolicyDetailSerializer,
    PolicyInputSerializer,
    PolicySerializer,
    StaffPolicySerializer,
)
from health.filters import PolicyFilterSet, StaffPolicyFilterSet
from health.services import policies as services
from linli.regions.models import Community


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PolicySerializer
    filterset_class = PolicyFilterSet

    def get_queryset(self):
        return selectors.policies_for_resident(self.request.user)

    @extend_schema(summary="Policy articles meant for me", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Read a policy article (counted once per reader)", responses=PolicyDetailSerializer, tags=["health"]
    )
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        if services.policy_mark_read(article=article, reader=request.user):
            article.is_read = True
        return Response(PolicyDetailSerializer(article).data)


class StaffPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StaffPolicySerializer
    filterset_class = StaffPolicyFilterSet
    permission_classes = [permissions.IsAuthenticated, IsCommunityStaff]

    def get_queryset(self):
        return selectors.policies_for_staff(self.request.user)

    @extend_schema(summary="Policy articles of my communities, with read counts", tags=["staff-health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One policy article, with its read count", tags=["staff-health"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Write a draft for one of my communities (audience: age range, condition)",
        request=PolicyInputSerializer,
        responses={201: StaffPolicySerializer},
        tags=["staff-health"],
    )
    def create(self, request):
        data = PolicyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        community = Community.objects.filter(pk=values.pop("community")).first()
        if community is None:
            raise ValidationError({"community": ["社区不存在"]})
        article = services.policy_create(author=request.user, community=community, **values)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=article.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Publish; the audience gets a push",
        request=None,
        responses=StaffPolicySerializer,
        tags=["staff-health"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request, pk=None):
        article = services.policy_publish(article=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=article.pk)).data)
