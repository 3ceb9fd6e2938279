"""Optional error reporting to Sentry or a Sentry-compatible server (GlitchTip, self-hosted Sentry).

Off unless SENTRY_DSN is set. Events go out with `send_default_pii=False` (no IP address, user name,
e-mail or cookies from the SDK), no request bodies, no local variables of stack frames (they hold
residents' data), and through `before_send`, which drops cookies, request bodies and credential
headers and passes every remaining string through the same `scrub()` as the logs: phone numbers, ID
numbers, tokens and secrets never leave the server. Environment and release come from settings
(SENTRY_ENVIRONMENT, SENTRY_RELEASE). Performance tracing stays off (it would cost every request).
"""

from django.conf import settings

from linli.observability.scrub import REDACTED, is_secret_name, scrub

# Request headers kept in an event; the rest (Authorization, Cookie, device signatures, …) are dropped.
_KEPT_HEADERS = frozenset({"user-agent", "content-type", "content-length", "accept", "host", "x-request-id"})


def init_sentry() -> bool:
    """Initialise sentry-sdk when SENTRY_DSN is set; returns whether it did."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
    return True


def _clean(value):
    # Every string scrubbed; every field whose name says it is a secret dropped, at any depth.
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: REDACTED if is_secret_name(key) else _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def before_send(event: dict, hint: dict | None = None) -> dict:
    """The event without request bodies, cookies or credential headers, and with personal data and
    secrets scrubbed from every string (messages, exception values, breadcrumbs, tags, extra)."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in _KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _clean(event)


def before_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return _clean(crumb)
