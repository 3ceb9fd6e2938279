"""GET /metrics: the Prometheus exposition, for the monitoring server only.

Protected by a bearer token (METRICS_TOKEN, compared in constant time). Without a token configured
the endpoint does not exist in production (404) and is open on a developer's machine (DEBUG=1). A
wrong or missing token is a 404 too: the public learns nothing, not even that there is something to
guess. The alternative, a network rule, is in docs/operations.md ("Metrics").
"""

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli.observability.metrics import render


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return settings.DEBUG
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented:
        return False
    return hmac.compare_digest(presented.strip().encode(), token.encode())


@never_cache
@require_GET
def metrics(request):
    if not _authorised(request):
        raise Http404
    body, content_type = render()
    return HttpResponse(body, content_type=content_type)
