"""Production settings (DEBUG=0) as a deployment starts them, checked through real requests.

Runs in a fresh interpreter (like tests/test_settings.py) because DEBUG and the security
settings are fixed when the settings module is imported.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "linli.example.cn"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "linli.settings",
    "DEBUG": "0",
    "SECRET_KEY": "prod-test-3f9a1c7e5b2d8f4a6c0e9b3d7f1a5c8e2b6d0f4a9c3e7b1d5f8a2c6e0b4d9f3a7",
    "ALLOWED_HOSTS": HOST,
}

PROBE = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client(raise_request_exception=False)
host = {"HTTP_HOST": "linli.example.cn"}  # = HOST


def answer(response):
    return {"status": response.status_code, "headers": dict(response.headers), "body": response.content.decode()[:3000]}


print(json.dumps({
    "healthz": answer(client.get("/healthz", secure=True, **host)),
    "api_over_http": answer(client.get("/api/v1/communities/", **host)),
    # The database has no tables: the API crashes, as it would on a real fault.
    "api_crash": answer(client.get("/api/v1/communities/", secure=True, **host)),
    "page_404": answer(client.get("/no-such-page/", secure=True, **host)),
    "api_404": answer(client.get("/api/v1/no-such-thing/", secure=True, **host)),
    "settings": {
        name: getattr(settings, name)
        for name in ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "LINLI_SANDBOX"]
    },
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(PRODUCTION, LINLI_VAR_DIR=str(tmp_path_factory.mktemp("var")))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_responses_carry_the_security_headers(production):
    headers = production["healthz"]["headers"]
    assert production["healthz"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(production):
    answer = production["api_over_http"]
    assert answer["status"] == 301
    assert answer["headers"]["Location"] == f"https://{HOST}/api/v1/communities/"


def test_cookies_are_secure_and_nothing_runs_in_debug_or_sandbox(production):
    assert production["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "LINLI_SANDBOX": False,
    }


def test_a_crash_answers_the_envelope_without_details(production):
    answer = production["api_crash"]
    assert answer["status"] == 500
    assert json.loads(answer["body"]) == {"code": "server_error", "message": "服务器内部错误"}
    assert answer["headers"]["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("page", ["page_404", "api_404"])
def test_a_404_is_not_a_debug_page(production, page):
    answer = production[page]
    assert answer["status"] == 404
    for leak in ("Traceback", "URLconf", "DEBUG = True", "Django tried these URL patterns", "linli.urls"):
        assert leak not in answer["body"]
