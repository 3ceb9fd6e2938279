"""The real jscode2session client, against a local HTTP server standing in for WeChat."""

import logging
import time

import pytest

from linli.accounts.models import User
from tests.support.wechat import wechat_api

URL = "/api/v1/auth/wechat/login/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat(settings):
    with wechat_api(settings) as stub:
        yield stub


def test_it_exchanges_the_code_with_wechat(api, wechat):
    wechat.route(
        "GET",
        "/sns/jscode2session",
        lambda req: (200, {"openid": "oABC123", "unionid": "uXYZ", "session_key": "SECRET-SESSION-KEY"}),
    )
    response = api.post(URL, {"code": "071abc"}, format="json")
    assert response.status_code == 200, response.json()
    user = User.objects.get(pk=response.json()["user"]["id"])
    assert (user.wechat_openid, user.wechat_unionid) == ("oABC123", "uXYZ")
    sent = wechat.requests[0].query
    assert sent == {
        "appid": ["wx-test-app"],
        "secret": ["test-secret-value"],
        "js_code": ["071abc"],
        "grant_type": ["authorization_code"],
    }


@pytest.mark.parametrize(("errcode", "message"), [(40029, "微信登录凭证无效"), (40163, "微信登录凭证已被使用")])
def test_it_turns_bad_code_errcodes_into_400(api, wechat, errcode, message):
    wechat.route("GET", "/sns/jscode2session", lambda req: (200, {"errcode": errcode, "errmsg": "invalid code"}))
    response = api.post(URL, {"code": "bad"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_wechat_code", "message": message}


def test_it_turns_wechat_rate_limits_into_429(api, wechat):
    wechat.route("GET", "/sns/jscode2session", lambda req: (200, {"errcode": 45011, "errmsg": "api minute-quota"}))
    response = api.post(URL, {"code": "c"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


@pytest.mark.parametrize(
    "reply",
    [(200, {"errcode": -1, "errmsg": "system error"}), (500, b"oops"), (200, b"<html>not json</html>"), (200, {})],
)
def test_it_answers_502_when_wechat_fails(api, wechat, reply):
    wechat.route("GET", "/sns/jscode2session", lambda req: reply)
    response = api.post(URL, {"code": "c"}, format="json")
    assert response.status_code == 502
    assert response.json()["code"] == "upstream_error"
    assert not User.objects.exists()


def test_it_gives_up_on_a_slow_wechat(api, wechat, settings):
    settings.WECHAT_TIMEOUT_SECONDS = 0.3

    def slow(req):
        time.sleep(1.5)
        return 200, {"openid": "late"}

    wechat.route("GET", "/sns/jscode2session", slow)
    started = time.monotonic()
    response = api.post(URL, {"code": "c"}, format="json")
    assert response.status_code == 502
    assert time.monotonic() - started < 1.5


def test_the_timeout_is_never_above_five_seconds(settings):
    from linli.lib.wechat import WeChatClient

    assert WeChatClient(app_id="a", app_secret="s", api_base="http://x", timeout=30).timeout == 5.0


def test_it_never_logs_the_session_key_or_secret(api, wechat, caplog):
    wechat.route("GET", "/sns/jscode2session", lambda req: (200, {"openid": "o1", "session_key": "SECRET-SESSION-KEY"}))
    wechat.route("GET", "/fail", lambda req: (200, {}))
    with caplog.at_level(logging.DEBUG):
        api.post(URL, {"code": "c1"}, format="json")
        wechat.route("GET", "/sns/jscode2session", lambda req: (200, {"errcode": -1, "errmsg": "busy"}))
        api.post(URL, {"code": "c2"}, format="json")
    text = caplog.text
    assert caplog.records, "expected the client to log something at DEBUG"
    assert "SECRET-SESSION-KEY" not in text
    assert "test-secret-value" not in text
