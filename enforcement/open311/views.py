"""Open311 GeoReport v2 at /open311/v2/, so existing civic-issue apps can report into the loop and
follow it. JSON and XML as the spec's format extension says; errors are the spec's list
[{"code", "description"}] (<errors><error>… in XML) — never a 500 or an HTML page for bad input.

The JSON endpoints are in the OpenAPI schema; the XML twins answer the same data.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from drf_spectacular import openapi
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, parsers, permissions, status
from rest_framework.response import Response

from enforcement import selectors
from enforcement.models import ProblemReport, ReportPhoto
from enforcement.open311 import serializers as s
from enforcement.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from enforcement.services import reports as report_services
from enforcement.services.open311 import open311_client_for
from linli.api.errors import ForbiddenError, NotFoundError
from linli.api.errors import exception_handler as envelope_handler
from linli.api.parsers import JSONParser
from linli.api.views import ApiView
from linli.uploads.selectors import attachments

DEFAULT_DAYS = 90
MAX_RESULTS = 1000

_DESCRIPTIONS = {
    "400": "Invalid input: errors [{code, description}]",
    "401": "Not used (kept for completeness)",
    "403": "Missing or invalid api_key",
    "404": "No such service request",
    "413": "Body too large",
    "415": "Body not form-encoded, multipart or JSON",
    "429": "Too many requests",
}


class Open311Schema(openapi.AutoSchema):
    """Documents Open311 errors as the spec's list instead of the platform envelope."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "429"]
        if "{" in self.path:
            codes.append("404")
        if self.method == "POST":
            codes += ["403", "413", "415"]
        errors = build_array_type(self.resolve_serializer(s.ErrorSerializer, direction).ref)
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(errors, code, direction=direction)
                responses[code]["description"] = _DESCRIPTIONS[code]
        return responses


class Open311View(ApiView):
    schema_topic = "Open311"
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, JSONParser]
    schema = Open311Schema()
    fmt = "json"
    xml_root, xml_item = "response", "item"

    def get_renderers(self):
        return [Open311XMLRenderer()] if self.fmt == "xml" else [Open311JSONRenderer()]

    def perform_content_negotiation(self, request, force=False):
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type  # the URL's extension decides, not the Accept header

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            exc = exceptions.PermissionDenied()
        response = envelope_handler(exc, self.get_exception_handler_context())
        if response is None:
            return super().handle_exception(exc)  # a real bug: Django's handler500 answers in JSON
        body = response.data
        errors = [
            {"code": response.status_code, "description": f"{field}: {message}"}
            for field, messages in (body.get("fields") or {}).items()
            for message in messages
        ] or [{"code": response.status_code, "description": body.get("message", "")}]
        response.data = errors
        self.xml_root, self.xml_item = "errors", "error"
        # The platform's envelope middleware would replace a list; Open311ErrorMiddleware restores it.
        self.request._request.open311_errors = errors
        return response


def _xml(view_class, root, item):
    """The XML twin of a JSON view (left out of the OpenAPI schema)."""
    methods = {m: extend_schema(exclude=True) for m in ("get", "post") if hasattr(view_class, m)}
    twin = type(f"{view_class.__name__}XML", (view_class,), {"fmt": "xml", "xml_root": root, "xml_item": item})
    return extend_schema_view(**methods)(twin)


class ServiceListView(Open311View):
    xml_root, xml_item = "services", "service"

    @extend_schema(summary="Service list: the problem categories", responses={200: s.ServiceSerializer(many=True)})
    def get(self, request, **kwargs):
        return Response(s.ServiceSerializer(selectors.public_categories(), many=True).data)


def _public_requests():
    return (
        ProblemReport.objects.filter(category__is_public=True)
        .select_related("category", "team", "street")
        .prefetch_related(attachments("photo_links", ReportPhoto))
    )


class RequestListView(Open311View):
    xml_root, xml_item = "service_requests", "request"

    @extend_schema(
        summary="Service requests: the last 90 days by default (at most 1000), filtered",
        parameters=[s.RequestQuerySerializer],
        responses={200: s.RequestSerializer(many=True)},
    )
    def get(self, request, **kwargs):
        query = s.RequestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        queryset = _public_requests()
        if data.get("service_request_id"):
            queryset = queryset.filter(pk__in=[int(pk) for pk in data["service_request_id"].split(",")])
        else:
            if data.get("service_code"):
                queryset = queryset.filter(category__code=data["service_code"])
            start, end = data.get("start_date"), data.get("end_date")
            if start is None and end is None:
                start = timezone.now() - timedelta(days=DEFAULT_DAYS)
            if start is not None:
                queryset = queryset.filter(created_at__gte=start)
            if end is not None:
                queryset = queryset.filter(created_at__lt=end)
            if data.get("status"):
                wanted = set(data["status"].split(","))
                closed = Q(status__in=s.CLOSED)
                if wanted == {"open"}:
                    queryset = queryset.exclude(closed)
                elif wanted == {"closed"}:
                    queryset = queryset.filter(closed)
        reports = queryset.order_by("-created_at", "-id")[:MAX_RESULTS]
        return Response(s.RequestSerializer(reports, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Create a service request (needs an api_key)",
        request=s.RequestInputSerializer,
        responses={201: s.RequestCreatedSerializer(many=True)},
    )
    def post(self, request, **kwargs):
        serializer = s.RequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        client = open311_client_for(data["api_key"])
        if client is None:
            raise ForbiddenError("api_key 无效或已停用", code="invalid_api_key")
        category = selectors.public_categories().filter(code=data["service_code"]).first()
        if category is None:
            raise NotFoundError(f"未知的 service_code：{data['service_code']}")
        lat, lng = data.get("lat"), data.get("long")
        notice = ""
        if lat is not None:
            nearby = selectors.reports_nearby(category_id=category.pk, lat=lat, lng=lng)
            if nearby:
                notice = f"附近已有相同问题的上报（{nearby[0].report.pk} 号），可关注其进展"
        report = report_services.report_create(
            channel=ProblemReport.Channel.OPEN311,
            category=category,
            description=data["description"] or category.name,
            # The client's media_url is theirs: kept as text, never fetched, never one of our photos.
            external_media_url=data["media_url"],
            lat=lat,
            lng=lng,
            address=data["address_string"],
            contact_name=f"{data['last_name']}{data['first_name']}".strip()[:30],
            contact_phone=data["phone"],
            open311_client=client,
        )
        created = {
            "service_request_id": str(report.pk),
            "service_notice": notice,
            "account_id": data["account_id"] or None,
        }
        return Response([created], status=status.HTTP_201_CREATED)


class RequestDetailView(Open311View):
    xml_root, xml_item = "service_requests", "request"

    @extend_schema(
        summary="One service request (a list of one, as the spec says)",
        responses={200: s.RequestSerializer(many=True)},
    )
    def get(self, request, pk: int, **kwargs):
        report = _public_requests().filter(pk=pk).first()
        if report is None:
            raise NotFoundError(f"没有 {pk} 号服务请求")
        return Response(s.RequestSerializer([report], many=True, context={"request": request}).data)


ServiceListXMLView = _xml(ServiceListView, "services", "service")
RequestListXMLView = _xml(RequestListView, "service_requests", "request")
RequestDetailXMLView = _xml(RequestDetailView, "service_requests", "request")
