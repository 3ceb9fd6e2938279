from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from linli.api.pagination import PageNumberPagination
from linli.points import selectors
from linli.points.api.serializers import PointsEntrySerializer, PointsLedgerSerializer


class LedgerPagination(PageNumberPagination):
    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"balance": selectors.balance_of(self.request.user), **response.data}
        return response


@extend_schema_view(
    get=extend_schema(summary="My points balance and ledger entries, newest first", responses=PointsLedgerSerializer),
)
class MyPointsView(generics.ListAPIView):
    """My 邻礼积分: the balance and the ledger that explains it."""

    serializer_class = PointsEntrySerializer
    pagination_class = LedgerPagination

    def get_queryset(self):
        return selectors.entries_of(self.request.user)
