import json

from django.utils.cache import add_never_cache_headers

from linli.api.errors import _is_api, json_error


class ApiErrorEnvelopeMiddleware:
    """Last line of defence: no HTML error page ever leaves /api/.

    DRF views already answer with the envelope. What reaches here as non-JSON is Django's own
    answer for an unknown URL, a crash, a disallowed host or an oversized body — in DEBUG mode
    Django renders those as technical HTML pages, which the mini-program cannot read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400 and _is_api(request) and not _is_json(response):
            return json_error(response.status_code)
        return response


def _is_json(response) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    if getattr(response, "streaming", False):
        return True
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and "code" in body and "message" in body


class PrivateApiResponseMiddleware:
    """Authenticated API answers are personal: no browser, proxy or WeChat cache may keep them.

    A request counts as authenticated when it carries credentials (a bearer token) or a logged-in
    session, whatever the answer — a 404 or 401 to a token is as private as a 200.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_api(request) and _is_authenticated(request):
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response


def _is_authenticated(request) -> bool:
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
