"""`/healthz/detail`: the workers' and beat's health for monitors and operators.

The public `/healthz` stays as cheap as the load balancer needs (linli.api.views.healthz). This one
pings the workers (up to OPS_WORKER_PING_TIMEOUT), counts the queues, evaluates the alert rows and
names queues and worker hosts, so it is not public. It accepts either
* `X-Ops-Token: <OPS_HEALTHZ_TOKEN>` — a monitoring system's shared secret (off while unset), or
* `Authorization: Bearer <access token>` of a superuser or a holder of the ops role (运维).
"""

import hmac

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework.exceptions import APIException

from linli.accounts.tokens import JWTAuthentication
from linli.api.views import _check_broker, _check_database
from linli.ops import conf
from linli.ops.selectors import is_ops, ops_status
from linli.ops.services import alerts_evaluate


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _token_ok(request) -> bool:
    expected = conf.healthz_token()
    given = request.headers.get("X-Ops-Token", "")
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


@never_cache
@require_GET
def healthz_detail(request):
    """Database, broker, beat's last tick, queue lengths, workers answering a ping, open alerts."""
    if not _token_ok(request):
        try:
            authenticated = JWTAuthentication().authenticate(request)
        except APIException as exc:
            return _error(401, "not_authenticated", str(exc.detail) if isinstance(exc.detail, str) else "登录凭证无效")
        if authenticated is None:
            return _error(401, "not_authenticated", "请提供运维令牌（X-Ops-Token）或登录凭证")
        if not is_ops(authenticated[0]):
            return _error(403, "permission_denied", "仅运维人员和超级管理员可查看")
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value in ("ok", "eager") for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    if checks["database"] == "ok":
        status = ops_status()
        alerts = alerts_evaluate(status=status)
        body |= status.as_dict()
        body["alerts"] = [{"kind": a.kind, "message": a.message, "opened_at": a.opened_at.isoformat()} for a in alerts]
    return JsonResponse(body, status=200 if healthy else 503)
