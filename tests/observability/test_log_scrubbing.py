"""No personal data or secrets in the logs, however they reach a record: the message, its arguments,
`extra` fields or an exception's text and traceback; in the JSON lines of production and the plain
lines of a developer's machine."""

import io
import json
import logging

import pytest

from linli.observability.logging import JsonFormatter, PlainFormatter, RequestIdFilter
from linli.observability.scrub import scrub

PHONE = "13912345678"
ID_NUMBER = "33010219520315123X"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjo0MiwidHlwZSI6ImFjY2VzcyJ9.c2lnbmF0dXJlLXBhcnQtMTIz"
APP_SECRET = "9f2c4e7a1b3d5f60718293a4b5c6d7e8"
API_KEY = "sk-live-51Hx9QzL2mN8pR4tV6wY"
SECRET_KEY = "django-insecure-0p9o8i7u6y5t4r3e2w1q-abcdef"
PASSWORD = "Hunter2-Correct-Horse"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
SECRETS = [PHONE, ID_NUMBER, JWT, APP_SECRET, API_KEY, SECRET_KEY, PASSWORD, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"]


@pytest.fixture(autouse=True)
def configured_secrets(settings):
    settings.SECRET_KEY = SECRET_KEY
    settings.WECHAT_APP_SECRET = APP_SECRET


def logged(formatter: logging.Formatter, emit) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.observability.scrubbing")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue()


def emit_everything(logger):
    logger.warning("resident %s with ID %s called", PHONE, ID_NUMBER)
    logger.warning("Authorization: Bearer %s", JWT)
    logger.warning("GET https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=%s&js_code=x", APP_SECRET)
    logger.warning('provider answered {"api_key": "%s", "password": "%s"}', API_KEY, PASSWORD)
    logger.warning("settings: SECRET_KEY %s", SECRET_KEY)
    logger.warning("loaded %s", PRIVATE_KEY)
    logger.warning("login", extra={"phone": PHONE, "password": PASSWORD, "token": "opaque-value-1"})
    try:
        raise ValueError(f"bad input from {PHONE} id {ID_NUMBER} token={JWT} secret={APP_SECRET}")
    except ValueError:
        logger.exception("failed for %s", PHONE)


@pytest.mark.parametrize("formatter", [JsonFormatter(), PlainFormatter()], ids=["json", "plain"])
def test_no_phone_number_id_number_token_or_secret_reaches_the_log(formatter):
    output = logged(formatter, emit_everything)
    assert "ValueError" in output and "resident 139****5678 with ID 330***********123X" in output
    for secret in SECRETS:
        assert secret not in output, secret
    assert "opaque-value-1" not in output


def test_json_lines_are_one_object_per_line_with_the_documented_fields():
    output = logged(JsonFormatter(), lambda logger: logger.info("queued %s", 3, extra={"queue": "default"}))
    (line,) = output.splitlines()
    entry = json.loads(line)
    assert {"time", "level", "logger", "message", "request_id"} <= set(entry)
    assert entry["message"] == "queued 3"
    assert entry["queue"] == "default"
    assert entry["request_id"] == "-"  # outside a request or task


def test_a_multi_line_exception_stays_on_one_json_line():
    def emit(logger):
        try:
            raise RuntimeError("first\nsecond")
        except RuntimeError:
            logger.exception("boom")

    output = logged(JsonFormatter(), emit)
    assert len(output.splitlines()) == 1
    assert "Traceback" in json.loads(output)["exc"]


def test_ordinary_ids_and_words_are_left_alone():
    text = "request 0123456789abcdef0123456789abcdef order 20261206123456789012 token refreshed for user 5"
    assert scrub(text) == text
