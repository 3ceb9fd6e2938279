"""The error envelope (docs/api.md): {"code", "message", "fields"?} for every 4xx/5xx under /api/.

Services raise `DomainError` subclasses; the DRF exception handler and the Django-level
handlers below turn everything (including Django's own 404/500 and malformed JSON) into
the same envelope.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. Subclasses set the HTTP status and the machine code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"
    default_message = "请求无法处理"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields=None, extra=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields
        self.extra = extra or {}
        super().__init__(self.message)


def field_error(field: str, message: str) -> DomainError:
    """A 400 `validation_error` on one input field, raised from a service: {"fields": {field: [message]}}."""
    return DomainError(message, code="validation_error", fields={field: [message]})


class ConflictError(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = "与当前状态冲突"


class InvalidTransition(ConflictError):
    code = "invalid_transition"
    default_message = "当前状态不允许此操作"


class NotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = "未找到"


class ForbiddenError(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    default_message = "没有权限执行此操作"


class TooManyRequests(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"
    default_message = "请求过于频繁，请稍后再试"


class PayloadTooLarge(DomainError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "payload_too_large"
    default_message = "请求体过大"


class UpstreamError(DomainError):
    """An external service (WeChat, payment, provincial platform) failed or timed out."""

    status_code = status.HTTP_502_BAD_GATEWAY
    code = "upstream_error"
    default_message = "外部服务暂时不可用，请稍后重试"


class ServiceUnavailable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "service_unavailable"
    default_message = "服务暂不可用"


_CODES = {
    400: ("validation_error", "请求参数有误"),
    401: ("not_authenticated", "请先登录"),
    403: ("permission_denied", "没有权限执行此操作"),
    404: ("not_found", "未找到"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "无法按请求的格式返回"),
    409: ("conflict", "与当前状态冲突"),
    413: ("payload_too_large", "请求体过大"),
    415: ("unsupported_media_type", "不支持的请求格式"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误"),
}


def envelope(status_code: int, code: str | None = None, message: str | None = None, fields=None, **extra) -> dict:
    default_code, default_message = _CODES.get(status_code, ("error", "请求失败"))
    body = {"code": code or default_code, "message": message or default_message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


def _flatten_fields(detail) -> dict:
    """DRF validation detail → {field: [messages]} with nested paths joined by dots."""
    out: dict[str, list[str]] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    if sub:
                        walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return out


def exception_handler(exc, context):
    # Imported here: rest_framework.views loads the parser classes, and linli.api.parsers needs this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django would answer 400
        exc = PayloadTooLarge()
    if isinstance(exc, DomainError):
        return Response(
            envelope(exc.status_code, exc.code, exc.message, exc.fields, **exc.extra),
            status=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # Unexpected: let Django log it and answer through handler500 (envelope too).
        return None

    status_code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = envelope(400, "validation_error", "请求参数有误", _flatten_fields(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        body = envelope(400, "validation_error", f"请求体无法解析：{exc.detail}")
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        body = envelope(401, "not_authenticated", _auth_message(exc))
    elif isinstance(exc, exceptions.Throttled):
        body = envelope(429, "throttled", f"请求过于频繁，请 {exc.wait or 1:.0f} 秒后再试")
    elif isinstance(exc, exceptions.NotFound):
        body = envelope(404)
    elif isinstance(exc, exceptions.PermissionDenied):
        # A permission's own message (仅医生可以访问) is said; DRF's English default is not.
        detail = str(exc.detail)
        body = envelope(403, message=None if detail == str(exceptions.PermissionDenied.default_detail) else detail)
    else:
        body = envelope(status_code)
    response.data = body
    return response


def _auth_message(exc) -> str:
    if isinstance(exc, exceptions.NotAuthenticated):
        return "请先登录"
    if getattr(exc, "default_code", "") == "token_not_valid" or "token" in str(exc.detail).lower():
        return "登录已过期或令牌无效，请重新登录"
    return "认证失败"


# --- Django-level handlers: errors raised outside DRF views (unknown URLs, crashes, CSRF) -----


def _is_api(request) -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/open311/")


def json_error(status_code: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    return JsonResponse(
        envelope(status_code, code, message), status=status_code, json_dumps_params={"ensure_ascii": False}
    )


def handler400(request, exception=None):
    if _is_api(request):
        return json_error(400, "bad_request", "请求无效")
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        return json_error(403)
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return json_error(404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        return json_error(500)
    from django.views.defaults import server_error

    return server_error(request)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return json_error(403, "csrf_failed", "CSRF 校验失败")
    from django.views.csrf import csrf_failure as default_csrf_failure

    return default_csrf_failure(request, reason)
