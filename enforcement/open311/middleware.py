"""Errors under /open311/ in the GeoReport v2 format: [{"code", "description"}] (<errors> in XML).

The platform's ApiErrorEnvelopeMiddleware turns every non-envelope error under /api/ and /open311/
into `{"code", "message"}` (so that no HTML page ever leaks). This middleware sits outside it and
gives Open311 clients the spec's error list instead: the list the Open311 view produced (stashed
on the request), or one built from the envelope for errors raised outside the views (unknown URL,
wrong method, a crash). Either way the answer is JSON or XML, never HTML.
"""

import json

from django.http import HttpResponse

from enforcement.open311.renderers import to_xml

PREFIX = "/open311/"


def _description(response) -> str:
    try:
        body = json.loads(response.content or b"null")
    except (ValueError, AttributeError):
        body = None
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return "请求无法处理"


def render_errors(errors: list[dict], status: int, *, xml: bool) -> HttpResponse:
    if xml:
        return HttpResponse(to_xml(errors, "errors", "error"), status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(errors, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


class Open311ErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith(PREFIX):
            return response
        errors = getattr(request, "open311_errors", None) or [
            {"code": response.status_code, "description": _description(response)}
        ]
        result = render_errors(errors, response.status_code, xml=request.path.endswith(".xml"))
        for header in ("Retry-After", "Allow"):
            if response.has_header(header):
                result[header] = response[header]
        return result
