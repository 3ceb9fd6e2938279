"""OpenAPI generation: every operation documents the error envelope for the errors it can give."""

from drf_spectacular import openapi
from rest_framework import permissions, serializers


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
    "415": "The body is not in a documented content type (unsupported_media_type)",
    "429": "Too many requests (throttled)",
}


class AutoSchema(openapi.AutoSchema):
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
            codes.append("415")
        codes.append("429")
        return codes
