from rest_framework import mixins, permissions

from linli.api.views import ApiViewSet, SharedListMixin
from linli.regions import cache as regions_cache
from linli.regions.api.serializers import CommunitySerializer
from linli.regions.filters import CommunityFilterSet
from linli.regions.models import Community


class CommunityViewSet(SharedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Communities (社区) with their street. Public: the mini-program shows them before login."""

    queryset = Community.objects.select_related("street")
    serializer_class = CommunitySerializer
    filterset_class = CommunityFilterSet
    permission_classes = [permissions.AllowAny]
    shared_list_kind = regions_cache.COMMUNITY_LIST  # linli/regions/cache.py: the writes that replace a page
