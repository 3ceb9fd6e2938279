"""OpenAPI generation: every operation documents the error envelope for the errors it can give, and carries
exactly one tag "<audience> · <topic>" (居民 · 报修, 员工 · 报修, 商家 · 线上市集, 设备 · 智能终端, 公开 · 区域).

* audience: the view's `schema_audience`, else from the URL (`/api/v1/staff/` 员工, `/api/v1/merchant/` 商家,
  `/api/v1/devices/` 设备), else 公开 for endpoints anyone may call, else 居民 (the mini-program's user).
* topic: the view's `schema_topic`, else its app's `verbose_name`.

Views never pass `tags=` to `extend_schema`.
"""

from django.apps import apps
from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import permissions, serializers


class JWTScheme(SimpleJWTScheme):
    """The bearer token of linli.accounts.tokens (simplejwt's, with revocation) is simplejwt's `jwtAuth` scheme."""

    target_class = "linli.accounts.tokens.JWTAuthentication"


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine code, e.g. validation_error, not_found, sold_out")
    message = serializers.CharField(help_text="Human message in Chinese")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for validation errors: field → messages",
    )

    class Meta:
        ref_name = "Error"


_DESCRIPTIONS = {
    "400": "Invalid input (validation_error) or a business rule refused it",
    "401": "Missing, expired or forged token (not_authenticated)",
    "403": "Authenticated but not allowed (permission_denied)",
    "404": "Not found, or not yours to see (not_found)",
    "409": "Conflicts with the current state (invalid_transition, conflict, idempotency_conflict, …)",
    "413": "The body is too large (payload_too_large)",
    "415": "The body is not in a documented content type (unsupported_media_type)",
    "429": "Too many requests (throttled)",
}


AUDIENCES = {"居民", "员工", "商家", "设备", "公开", "平台"}
_PREFIXES = (("/api/v1/staff/", "员工"), ("/api/v1/merchant/", "商家"), ("/api/v1/devices/", "设备"))


def tag(audience: str, topic: str) -> str:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}: one of {sorted(AUDIENCES)}")
    return f"{audience} · {topic}"


class AutoSchema(openapi.AutoSchema):
    def get_tags(self) -> list[str]:
        return [tag(self._audience(), self._topic())]

    def _audience(self) -> str:
        audience = getattr(self.view, "schema_audience", None)
        if audience:
            return audience
        for prefix, name in _PREFIXES:
            if self.path.startswith(prefix):
                return name
        if all(type(p) is permissions.AllowAny for p in self.view.get_permissions()):
            return "公开"
        return "居民"

    def _topic(self) -> str:
        topic = getattr(self.view, "schema_topic", None)
        if topic:
            return topic
        config = apps.get_containing_app_config(type(self.view).__module__)
        if config is None:
            raise ValueError(f"{type(self.view).__qualname__}: no schema_topic and not in an app")
        return str(config.verbose_name)

    def get_override_parameters(self):
        # Views may add parameters that depend on the action (linli.family.acting's `on_behalf_of`).
        extra = getattr(self.view, "schema_parameters", None)
        return [*super().get_override_parameters(), *(extra() if extra else [])]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = _DESCRIPTIONS[code]
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400", "401"]
        perms = [type(p) for p in self.view.get_permissions()]
        if any(p is not permissions.AllowAny for p in perms):
            codes.append("403")
        if "{" in self.path or self._is_list_view():
            # Detail routes: someone else's object is 404. Lists: an out-of-range ?page= is 404.
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        codes.append("429")
        return codes
