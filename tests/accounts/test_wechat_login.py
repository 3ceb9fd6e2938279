import pytest

from linli.accounts.models import User

URL = "/api/v1/auth/wechat/login/"
pytestmark = pytest.mark.django_db


def test_it_creates_the_user_on_first_sandbox_login(api):
    response = api.post(URL, {"code": "dev-alice"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["created"] is True
    assert body["access"] and body["refresh"]
    assert User.objects.get(wechat_openid="dev-alice").pk == body["user"]["id"]


def test_it_logs_the_same_user_in_again(api):
    first = api.post(URL, {"code": "dev-alice"}, format="json").json()
    second = api.post(URL, {"code": "dev-alice"}, format="json").json()
    assert second["created"] is False
    assert second["user"]["id"] == first["user"]["id"]
    assert User.objects.filter(wechat_openid="dev-alice").count() == 1


def test_the_token_opens_me(api):
    access = api.post(URL, {"code": "dev-alice"}, format="json").json()["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "wx_dev-alice"


@pytest.mark.parametrize("code", ["alice", "dev-", "dev-a b", "dev-" + "x" * 41, "123"])
def test_it_rejects_codes_the_sandbox_does_not_know(api, code):
    response = api.post(URL, {"code": code}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_wechat_code", "message": "微信登录凭证无效"}


@pytest.mark.parametrize("payload", [{}, {"code": ""}, {"code": None}, {"code": ["dev-a"]}, {"code": {"x": 1}}])
def test_it_rejects_missing_or_mistyped_codes_with_field_errors(api, payload):
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "code" in body["fields"]


def test_it_refuses_sandbox_codes_when_the_sandbox_is_off(api, settings):
    settings.LINLI_SANDBOX = False
    response = api.post(URL, {"code": "dev-alice"}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "wechat_not_configured"
    assert not User.objects.filter(wechat_openid="dev-alice").exists()


def test_it_refuses_disabled_accounts(api):
    User.objects.create(username="wx_dev-bob", wechat_openid="dev-bob", is_active=False)
    response = api.post(URL, {"code": "dev-bob"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "account_disabled"
