import pytest

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_validation_error(as_user, resident):
    response = as_user(resident).generic("PATCH", "/api/v1/me/", '{"display_name": ', content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"].startswith("请求体无法解析")


def test_an_unsupported_media_type_gets_the_envelope(as_user, resident):
    response = as_user(resident).generic("PATCH", "/api/v1/me/", "a=b", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_urls_under_api_are_json_404(api, settings, debug):
    settings.DEBUG = debug
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "not_found", "message": "未找到"}


def test_unknown_urls_elsewhere_stay_html(api):
    response = api.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_wrong_method_is_405_with_the_envelope(api):
    response = api.delete("/api/v1/communities/")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持该请求方法"}


def test_an_invalid_page_is_404_with_the_envelope(api):
    response = api.get("/api/v1/communities/", {"page": 99})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_size_is_capped_at_100(api):
    from tests import factories

    for _ in range(3):
        factories.make_community()
    body = api.get("/api/v1/communities/", {"page_size": 1000}).json()
    assert body["count"] == 3
    assert set(body) == {"count", "next", "previous", "results"}


@pytest.mark.urls("tests.api.urls")
@pytest.mark.parametrize("path", ["/api/v1/test/crash/", "/api/v1/test/plain-crash/"])
@pytest.mark.parametrize("debug", [True, False])
def test_crashes_are_json_500_without_details(settings, path, debug):
    from django.test import Client

    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "服务器内部错误"}
    assert b"boom" not in response.content


def test_a_disallowed_host_under_api_is_json_400(api):
    response = api.get("/api/v1/communities/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
