"""Error reporting: only with SENTRY_DSN, and what leaves the server carries no personal data or secrets."""

import contextlib
import gzip
import json
import time

import pytest
import sentry_sdk

from linli.observability.sentry import before_send, init_sentry
from tests.support.stub_server import StubServer

PHONE = "13912345678"
ID_NUMBER = "33010219520315123X"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjo0Mn0.c2lnbmF0dXJlLXBhcnQ"
APP_SECRET = "9f2c4e7a1b3d5f60718293a4b5c6d7e8"


@pytest.fixture
def sentry_off():
    yield
    sentry_sdk.init()  # no DSN: a client that sends nothing, for the rest of the session


def test_it_stays_off_without_a_dsn(settings, sentry_off):
    settings.SENTRY_DSN = ""
    assert init_sentry() is False
    assert not sentry_sdk.get_client().is_active()


def test_before_send_drops_bodies_cookies_and_credentials_and_scrubs_every_string():
    event = {
        "message": f"payment failed for {PHONE}",
        "exception": {"values": [{"type": "ValueError", "value": f"id {ID_NUMBER} secret={APP_SECRET}"}]},
        "request": {
            "url": f"https://linli.example/api/v1/me/?phone={PHONE}",
            "query_string": f"phone={PHONE}",
            "data": {"real_name": "张三", "phone": PHONE},
            "cookies": {"sessionid": "abc"},
            "headers": {"Authorization": f"Bearer {JWT}", "Cookie": "sessionid=abc", "User-Agent": "MicroMessenger"},
        },
        "user": {"id": 42, "ip_address": "1.2.3.4", "username": "wx_dev-zhang"},
        "breadcrumbs": {"values": [{"message": f"SMS to {PHONE}"}]},
        "extra": {"wechat_app_secret": APP_SECRET, "note": f"call {PHONE}"},
    }
    cleaned = before_send(event, {})
    text = json.dumps(cleaned, ensure_ascii=False)
    for secret in (PHONE, ID_NUMBER, JWT, APP_SECRET, "张三", "sessionid", "1.2.3.4", "wx_dev-zhang"):
        assert secret not in text, secret
    assert "data" not in cleaned["request"] and "cookies" not in cleaned["request"]
    assert cleaned["request"]["headers"] == {"User-Agent": "MicroMessenger"}
    assert cleaned["user"] == {"id": 42}
    assert "139****5678" in cleaned["message"]


def _envelope_items(body: bytes, headers: dict) -> list[dict]:
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    items = []
    for line in body.splitlines():
        with contextlib.suppress(ValueError):  # the envelope's binary attachments, if any
            items.append(json.loads(line))
    return items


def test_an_error_reaches_the_server_scrubbed_with_environment_and_release(settings, sentry_off):
    with StubServer() as stub:
        stub.route("POST", "/api/1/envelope/", lambda req: (200, {}))
        port = stub.url.rsplit(":", 1)[1]
        settings.SENTRY_DSN = f"http://publickey@127.0.0.1:{port}/1"
        settings.SENTRY_ENVIRONMENT = "staging"
        settings.SENTRY_RELEASE = "linli@abc123"
        settings.WECHAT_APP_SECRET = APP_SECRET
        assert init_sentry() is True
        try:
            raise RuntimeError(f"resident {PHONE} ({ID_NUMBER}) with token {JWT} and secret={APP_SECRET}")
        except RuntimeError as exc:
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush(timeout=5)
        deadline = time.monotonic() + 5
        while not stub.requests and time.monotonic() < deadline:
            time.sleep(0.05)

    assert stub.requests, "no event reached the stub server"
    raw = b"".join(
        gzip.decompress(r.body) if r.headers.get("Content-Encoding") == "gzip" else r.body for r in stub.requests
    ).decode()
    for secret in (PHONE, ID_NUMBER, JWT, APP_SECRET):
        assert secret not in raw, secret
    events = [item for r in stub.requests for item in _envelope_items(r.body, r.headers) if "exception" in item]
    (event,) = events
    assert event["environment"] == "staging"
    assert event["release"] == "linli@abc123"
    assert "139****5678" in event["exception"]["values"][0]["value"]
