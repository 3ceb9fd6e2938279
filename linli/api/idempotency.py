"""`Idempotency-Key` support for endpoints that move money (docs/api.md#idempotency).

    class OrderViewSet(...):
        @idempotent
        def create(self, request): ...

Same key + same body → the first response is replayed (header `Idempotent-Replayed: true`).
Same key + different body (or another endpoint) → 409 `idempotency_conflict`.
No header → the view runs normally.
"""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from linli.api.errors import ConflictError, DomainError
from linli.api.models import IdempotencyRecord
from linli.api.parsers import loads

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128


class IdempotencyConflict(ConflictError):
    code = "idempotency_conflict"
    default_message = "该幂等键已用于另一个请求"


def request_fingerprint(request) -> str:
    raw = request.body or b""
    try:
        canonical = json.dumps(loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:  # not JSON, or too deep (the parser refuses it with a 400 when the view reads it)
        canonical = raw
    query = request.META.get("QUERY_STRING", "")
    if query:
        # The query is part of the request: `?on_behalf_of=` (linli.family) names whom the order is for.
        canonical += b"?" + query.encode()
    return hashlib.sha256(canonical).hexdigest()


def principal_of(request) -> str:
    device = getattr(request, "device", None)
    if device is not None:
        return f"device:{device.pk}"
    return f"user:{request.user.pk}"


def idempotent(view_method):
    """Wrap a DRF view method so that a repeated `Idempotency-Key` replays the first answer."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise DomainError(f"{HEADER} 不能超过 {MAX_KEY_LENGTH} 个字符", code="validation_error")

        principal = principal_of(request)
        scope = f"{request.method} {request.path}"
        fingerprint = request_fingerprint(request)

        existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if existing is not None:
            return _replay(existing, scope, fingerprint)
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if response.status_code >= 500:
                    return response
                # Inserted last, inside the same transaction as the view's writes: if a
                # concurrent request with this key committed first, this raises and every
                # write of ours rolls back.
                IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    scope=scope,
                    request_hash=fingerprint,
                    status_code=response.status_code,
                    response_body=response.data,
                )
                return response
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
            if existing is None:
                raise
            return _replay(existing, scope, fingerprint)

    return wrapper


def _replay(record: IdempotencyRecord, scope: str, fingerprint: str) -> Response:
    if record.scope != scope or record.request_hash != fingerprint:
        raise IdempotencyConflict()
    return Response(record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
