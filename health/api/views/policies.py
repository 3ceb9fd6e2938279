"""到家讲: policy articles for residents (by audience), and the staff's side with read counts."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from health import selectors
from health.api.serializers import (
    PolicyDetailSerializer,
    PolicyInputSerializer,
    PolicySerializer,
    StaffPolicySerializer,
)
from health.filters import PolicyFilterSet, StaffPolicyFilterSet
from health.services import policies as services
from linli.accounts.models import Role
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet
from linli.regions.models import Community


@extend_schema_view(
    list=extend_schema(summary="Policy articles meant for me"),
)
class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "政策"
    serializer_class = PolicySerializer
    filterset_class = PolicyFilterSet

    def get_queryset(self):
        return selectors.policies_for_resident(self.request.user)

    @extend_schema(summary="Read a policy article (counted once per reader)", responses=PolicyDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        if services.policy_mark_read(article=article, reader=request.user):
            article.is_read = True
        return Response(PolicyDetailSerializer(article).data)


@extend_schema_view(
    list=extend_schema(summary="Policy articles of my communities, with read counts"),
    retrieve=extend_schema(summary="One policy article, with its read count"),
)
class StaffPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    schema_topic = "政策"
    serializer_class = StaffPolicySerializer
    filterset_class = StaffPolicyFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]

    def get_queryset(self):
        return selectors.policies_for_staff(self.request.user)

    @extend_schema(
        summary="Write a draft for one of my communities (audience: age range, condition)",
        request=PolicyInputSerializer,
        responses={201: StaffPolicySerializer},
    )
    def create(self, request):
        data = self.validated(PolicyInputSerializer)
        values = dict(data)
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
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        article = services.policy_publish(article=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=article.pk)).data)
