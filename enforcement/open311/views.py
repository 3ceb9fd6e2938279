"""Open311 GeoReport v2 at /open311/v2/, so existing civic-issue apps can report into the loop and
follow it. JSON and XML as the spec's format extension says; errors are the spec's list
[{"code", "description"}] (<errors><error>… in XML) — never a 500 or an HTML page for bad input.

The JSON endpoints are in the OpenAPI schema; the XML twins answer the same data.
"""

import re
from datetime import timedelta

from django.conf import settings
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
from enforcement.open311.definitions import answers_to_fields, service_definition
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
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the endpoint's behaviour last changed (discovery's changeset): bump it with the API.
CHANGESET = "2026-12-06T00:00:00+08:00"
CONTACT = "越城区综合行政执法指挥中心 · 0575-85000000 · open311@linli.example.cn"
KEY_SERVICE = (
    "api_key 由指挥中心在管理后台「Open311 接入应用」签发（只显示一次）；来函或邮件申请：open311@linli.example.cn"
)
ATTRIBUTE = re.compile(r"^attribute\[([a-z_]{1,40})\]$")

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


class ServiceDefinitionView(Open311View):
    xml_root, xml_item = "service_definition", None

    @extend_schema(
        summary="Service definition: the attributes a service asks for (attribute[code] when posting)",
        responses={200: s.ServiceDefinitionSerializer},
    )
    def get(self, request, service_code: str, **kwargs):
        category = selectors.public_categories().filter(code=service_code).first()
        if category is None:
            raise NotFoundError(f"未知的 service_code：{service_code}")
        return Response(s.ServiceDefinitionSerializer(service_definition(category)).data)


class DiscoveryView(Open311View):
    """Service Discovery: where the endpoint is, what it speaks and how to get a key."""

    xml_root, xml_item = "discovery", None

    @extend_schema(summary="Service Discovery (GeoReport v2)", responses={200: s.DiscoverySerializer})
    def get(self, request, **kwargs):
        endpoint = {
            "specification": SPECIFICATION,
            "url": request.build_absolute_uri("/open311/v2").rstrip("/"),
            "changeset": CHANGESET,
            "type": "test" if settings.DEBUG else "production",
            "formats": ["text/xml", "application/json"],
        }
        document = {"changeset": CHANGESET, "contact": CONTACT, "key_service": KEY_SERVICE, "endpoints": [endpoint]}
        return Response(s.DiscoverySerializer(document).data)


@extend_schema_view(get=extend_schema(exclude=True))
class TokenView(Open311View):
    """The spec's token lookup, for endpoints that answer a POST with a token. Ours answers with the
    service_request_id at once and issues no tokens, so every token is unknown: a 404 in the spec's
    format instead of a bare "no such URL". Out of the OpenAPI schema (it never answers 200);
    docs/api.md lists it."""

    xml_root, xml_item = "service_requests", "request"

    def get(self, request, token: str, **kwargs):
        raise NotFoundError("本接口提交后直接返回 service_request_id，不签发 token")


def _form_answers(data) -> dict:
    """attribute[code]=key pairs, as the spec sends them (form-encoded; JSON bodies may do the same)."""
    return {m.group(1): data.get(key) for key in data if isinstance(key, str) and (m := ATTRIBUTE.match(key))}


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
        body = request.data if hasattr(request.data, "get") else {}
        # The key first, as the spec says: a missing or wrong api_key is 403 whatever else is wrong.
        # Some clients send it in the query string; that works too.
        raw_key = body.get("api_key") or request.query_params.get("api_key") or ""
        client = open311_client_for(raw_key) if isinstance(raw_key, str) else None
        if client is None:
            raise ForbiddenError("api_key 缺失、无效或已停用", code="invalid_api_key")
        # Flatten a form's QueryDict; gather attribute[code]=key pairs (a JSON body may also send
        # {"attribute": {code: key}}).
        answers = _form_answers(body)
        body = {key: body.get(key) for key in body if not ATTRIBUTE.match(key)}
        if answers:
            body["attribute"] = answers
        serializer = s.RequestInputSerializer(data={**body, "api_key": raw_key})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = answers_to_fields(data["attribute"])
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
            street=None if lat is not None else extra.get("street"),
            is_public=extra.get("is_public", False),
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
ServiceDefinitionXMLView = _xml(ServiceDefinitionView, "service_definition", None)
DiscoveryXMLView = _xml(DiscoveryView, "discovery", None)
TokenXMLView = _xml(TokenView, "service_requests", "request")
RequestListXMLView = _xml(RequestListView, "service_requests", "request")
RequestDetailXMLView = _xml(RequestDetailView, "service_requests", "request")
DiscoveryAliasView = extend_schema_view(get=extend_schema(exclude=True))(
    type("DiscoveryAliasView", (DiscoveryView,), {})
)
DiscoveryAliasXMLView = _xml(DiscoveryAliasView, "discovery", None)
