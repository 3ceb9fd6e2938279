from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from linli.api.fields import DateField, DateTimeField
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiView
from linli.console.selectors import console_communities, dashboard_for


class DashboardQuery(serializers.Serializer):
    community = serializers.IntegerField(required=False, min_value=1, help_text="Only this community")
    days = serializers.IntegerField(required=False, min_value=7, max_value=90, default=30)


_metric = inline_serializer(
    "DashboardMetric",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.FloatField(allow_null=True),
        "unit": serializers.CharField(),
    },
)
_ref = inline_serializer("DashboardCommunity", {"id": serializers.IntegerField(), "name": serializers.CharField()})
DashboardSerializer = inline_serializer(
    "Dashboard",
    {
        "as_of": DateTimeField(
            help_text="When these numbers were computed: they are shared for up to a minute, so may lag that much"
        ),
        "communities": serializers.ListField(child=_ref),
        "period": inline_serializer(
            "DashboardPeriod",
            {"start": DateField(), "end": DateField(), "days": serializers.IntegerField()},
        ),
        "widgets": serializers.ListField(
            child=inline_serializer(
                "DashboardWidget",
                {
                    "key": serializers.CharField(),
                    "title": serializers.CharField(),
                    "metrics": serializers.ListField(child=_metric),
                    "trend": inline_serializer(
                        "DashboardTrend",
                        {
                            "dates": serializers.ListField(child=DateField()),
                            "series": serializers.ListField(
                                child=inline_serializer(
                                    "DashboardSeries",
                                    {
                                        "name": serializers.CharField(),
                                        "values": serializers.ListField(child=serializers.FloatField()),
                                    },
                                )
                            ),
                            "unit": serializers.CharField(),
                        },
                        allow_null=True,
                    ),
                    "breakdown": serializers.ListField(
                        child=inline_serializer(
                            "DashboardBar", {"label": serializers.CharField(), "value": serializers.FloatField()}
                        )
                    ),
                    "breakdown_title": serializers.CharField(),
                },
            )
        ),
        "service_index": serializers.ListField(
            child=inline_serializer(
                "ServiceIndexRow",
                {
                    "community": _ref,
                    "components": serializers.ListField(
                        child=inline_serializer(
                            "ServiceIndexComponent",
                            {
                                "key": serializers.CharField(),
                                "label": serializers.CharField(),
                                "value": serializers.FloatField(allow_null=True),
                                "previous": serializers.FloatField(allow_null=True),
                                "delta": serializers.FloatField(allow_null=True),
                            },
                        )
                    ),
                },
            )
        ),
    },
)


class StaffDashboardView(ApiView):
    """The admin dashboard's numbers for the mini-program's staff pages, scoped like the admin."""

    @extend_schema(
        summary="Staff dashboard: today's numbers, 30-day trends and the service index",
        parameters=[DashboardQuery],
        responses={200: DashboardSerializer, 404: ErrorSerializer},
    )
    def get(self, request):
        query = self.validated(DashboardQuery, data=request.query_params)
        communities = list(console_communities(request.user))
        if not communities:
            raise PermissionDenied("仅社区工作人员可查看工作台")
        wanted = query.get("community")
        district = request.user.is_superuser and wanted is None
        if wanted is not None:
            communities = [c for c in communities if c.pk == wanted]
            if not communities:
                raise NotFound()
        return Response(dashboard_for(communities=communities, days=query["days"], district=district))
