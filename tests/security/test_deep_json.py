"""Finding 4 of the security review: a JSON body nested ~1,000 levels deep was a 500 on every JSON endpoint
(json's RecursionError escaped DRF's parser), before any login. Every body now goes through
linli.api.parsers: deeper than API_JSON_MAX_DEPTH is 400 `payload_too_deep`, larger than API_JSON_MAX_BYTES
is 413 `payload_too_large`, both in the error envelope."""

import pytest

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/auth/wechat/login/", "/api/v1/auth/token/refresh/"])
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_it_refuses_a_deeply_nested_body_without_login_with_a_400(api, path, body):
    response = api.generic("POST", path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "payload_too_deep"
    assert response.json()["message"] == "请求体嵌套不能超过 32 层"


def test_it_refuses_a_deeply_nested_body_on_a_logged_in_write(as_user, resident):
    response = as_user(resident).generic("PATCH", "/api/v1/me/", DEEP_OBJECT, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "payload_too_deep"


def test_it_refuses_a_deeply_nested_open311_request_in_the_specs_error_list(api):
    response = api.generic("POST", "/open311/v2/requests.json", DEEP_OBJECT, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json() == [{"code": 400, "description": "请求体嵌套不能超过 32 层"}]


@pytest.mark.urls("tests.api.urls")
def test_an_idempotency_key_does_not_make_a_deep_body_a_500(as_user, resident):
    # The key's fingerprint parses the body before the view does.
    client = as_user(resident)

    response = client.generic(
        "POST", "/api/v1/test/streets/", DEEP_OBJECT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "payload_too_deep"


def test_it_refuses_a_body_over_the_json_limit_with_a_413(api, settings):
    settings.API_JSON_MAX_BYTES = 1024
    body = '{"username": "staff", "password": "' + "x" * 1024 + '"}'

    response = api.generic("POST", "/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 413, response.content
    assert response.json() == {"code": "payload_too_large", "message": "请求体不能超过 1 KB"}


def test_a_body_over_djangos_own_limit_is_a_413_too(as_user, resident, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"display_name": "' + "张" * 1024 + '"}'

    response = as_user(resident).generic("PATCH", "/api/v1/me/", body, content_type="application/json")

    assert response.status_code == 413, response.content
    assert response.json()["code"] == "payload_too_large"
