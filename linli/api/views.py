"""The one way to write an endpoint, and the health check.

A read is a viewset with a `queryset` (from a selector) and a `filterset_class`; a write validates an input
serializer, calls one service and answers with an output serializer:

    class WorkOrderViewSet(mixins.ListModelMixin, ApiViewSet):
        filterset_class = MyWorkOrderFilterSet

        def create(self, request):
            work_order = services.work_order_submit(reporter=request.user, **self.validated(s.WorkOrderInputSerializer))
            return self.respond(s.WorkOrderDetailSerializer, work_order, status.HTTP_201_CREATED)

Schema docs go in `extend_schema_view` / `extend_schema` (summary, request, responses), never in a `list` or
`retrieve` that only calls super; tags come from linli.api.schema; filters apply to lists only
(linli.api.filters.ListFilterBackend).
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework import status as http
from rest_framework import views, viewsets
from rest_framework.response import Response

from linli.lib import cache

logger = logging.getLogger(__name__)


# No docstrings on these bases: drf-spectacular would document every view without its own with them.


class InputOutputMixin:
    # `validated()` an input serializer, `respond()` with an output serializer.

    def respond(
        self, serializer_class, instance, status: int = http.HTTP_200_OK, *, many=False, headers=None, **context
    ):
        """`serializer_class(instance)` as the response body; `context` adds to the view's serializer context."""
        context = {**self.get_serializer_context(), **context}
        return Response(serializer_class(instance, many=many, context=context).data, status=status, headers=headers)

    def validated(self, serializer_class, *, data=None, partial=False, **context) -> dict:
        """The request body (or `data`, e.g. `request.query_params`) validated by `serializer_class`; 400 if invalid."""
        context = {**self.get_serializer_context(), **context}
        serializer = serializer_class(
            data=self.request.data if data is None else data, partial=partial, context=context
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ApiViewSet(InputOutputMixin, viewsets.GenericViewSet):
    # The base of every viewset: add the mixins of the reads it serves (`ListModelMixin`, …).
    pass


class SharedListMixin:
    # For a list whose rows are the same for everyone who asks with the same filters and page (public
    # cards): the page is built once and kept in the shared cache (linli/lib/cache.py) under
    # `shared_list_kind`, whose writes bump its version (the app's cache module says which). Nothing of
    # the viewer goes in an entry: the key holds the query string, the host the links are built for and
    # `shared_list_key()` (e.g. the viewer's communities, which decide the rows); what is the viewer's
    # own (my registration, my read state) is added per request by `shared_list_overlay()`.

    shared_list_kind: str

    def shared_list_key(self) -> tuple:
        """What, besides the query string, decides the rows of the page."""
        return ()

    def shared_list_queryset(self, key: tuple):
        """The rows everyone with this key sees, unfiltered."""
        return self.get_queryset()

    def shared_list_serializer(self, page, **kwargs):
        return self.get_serializer(page, **kwargs)

    def shared_list_ends_at(self, queryset, key: tuple):
        """When the rows change with the clock rather than with a write (None: they don't)."""
        return None

    def shared_list_overlay(self, rows: list) -> list:
        """The cached rows with the viewer's own state added."""
        return rows

    def list(self, request, *args, **kwargs):
        key = self.shared_list_key()
        entry_key = cache.key(
            self.shared_list_kind,
            (cache.ALL,),
            key,
            sorted(request.query_params.lists()),  # filters, search, page, page size
            request.build_absolute_uri("/"),
        )

        def build():
            queryset = self.filter_queryset(self.shared_list_queryset(key))
            page = self.paginate_queryset(queryset)
            results = self.shared_list_serializer(page, many=True).data
            count = self.paginator.page.paginator.count
            return {"count": count, "results": results}, self.shared_list_ends_at(queryset, key)

        page, hit = cache.get_or_build(entry_key, build)
        if hit:  # the same page of as many rows: the paginator's next and previous links
            self.paginate_queryset(range(page["count"]))
        return self.get_paginated_response(self.shared_list_overlay(page["results"]))


class ApiView(InputOutputMixin, views.APIView):
    # The base of an endpoint that is not a resource collection (stats, /me, device calls).

    def get_serializer_context(self) -> dict:
        return {"request": self.request, "format": self.format_kwarg, "view": self}


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("healthz: database unreachable: %s", type(exc).__name__)
        return "unreachable"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from linli.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL or None) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "ok"
    except Exception as exc:  # kombu raises many transport-specific errors
        logger.warning("healthz: broker unreachable: %s", type(exc).__name__)
        return "unreachable"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when the database and the broker answer, else 503."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
