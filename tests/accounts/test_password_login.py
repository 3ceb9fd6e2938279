import pytest

URL = "/api/v1/auth/token/"
pytestmark = pytest.mark.django_db


def test_staff_log_in_with_their_password(api, staff):
    response = api.post(URL, {"username": "staff_here", "password": "demo12345"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["access"] and body["refresh"]
    assert [r["role"] for r in body["user"]["roles"]] == ["community_staff"]


def test_it_rejects_a_wrong_password(api, staff):
    response = api.post(URL, {"username": "staff_here", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码错误"}


def test_it_rejects_missing_fields(api):
    response = api.post(URL, {"username": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"password"}


def test_it_throttles_repeated_attempts(api, staff, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    limit = int(rates["login"].split("/")[0])
    # A different username each time: five failures for one account would lock it first (test_login_lockout.py).
    statuses = [
        api.post(URL, {"username": f"guess{i}", "password": f"guess{i}"}, format="json").status_code
        for i in range(limit + 1)
    ]
    assert statuses[:limit] == [401] * limit
    assert statuses[limit] == 429
    blocked = api.post(URL, {"username": "staff_here", "password": "demo12345"}, format="json")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "throttled"


def test_refresh_gives_a_new_access_token(api, staff):
    tokens = api.post(URL, {"username": "staff_here", "password": "demo12345"}, format="json").json()
    response = api.post(f"{URL}refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api.get("/api/v1/me/").json()["username"] == "staff_here"


@pytest.mark.parametrize("refresh", ["garbage", "a.b.c"])
def test_refresh_rejects_forged_tokens(api, refresh):
    response = api.post(f"{URL}refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_access_token_is_not_a_refresh_token(api, staff):
    tokens = api.post(URL, {"username": "staff_here", "password": "demo12345"}, format="json").json()
    response = api.post(f"{URL}refresh/", {"refresh": tokens["access"]}, format="json")
    assert response.status_code == 401
