"""Revocable tokens: rotation, reuse detection, logout, and every token dying with a password change,
deactivation, deletion or "sign out everywhere"."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from linli.accounts.models import User
from linli.accounts.tokens import RefreshToken

LOGIN, REFRESH, LOGOUT, ME = "/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/logout/", "/api/v1/me/"
pytestmark = pytest.mark.django_db


def log_in(api, username="staff_here", password="demo12345") -> dict:
    response = api.post(LOGIN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def me_with(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME).status_code


def refresh(api, token: str):
    return api.post(REFRESH, {"refresh": token}, format="json")


def test_a_password_change_ends_the_old_access_and_refresh_tokens(api, staff):
    tokens = log_in(api)
    assert me_with(tokens["access"]) == 200

    staff.set_password("a-new-secret-2026")
    staff.save()

    assert me_with(tokens["access"]) == 401
    assert refresh(api, tokens["refresh"]).status_code == 401
    assert me_with(log_in(api, password="a-new-secret-2026")["access"]) == 200


def test_a_refresh_token_is_spent_by_its_first_use(api, staff):
    tokens = log_in(api)
    first = refresh(api, tokens["refresh"])
    assert first.status_code == 200
    assert first.json()["refresh"] != tokens["refresh"]
    assert me_with(first.json()["access"]) == 200

    again = refresh(api, tokens["refresh"])
    assert again.status_code == 401
    assert again.json()["code"] == "not_authenticated"


def test_reusing_a_spent_refresh_token_revokes_its_whole_family(api, staff):
    tokens = log_in(api)
    stolen = tokens["refresh"]
    rotated = refresh(api, stolen).json()["refresh"]  # the rightful owner refreshes

    assert refresh(api, stolen).status_code == 401  # the thief replays the spent token
    # The chain is burnt: the token rotated from it no longer works either.
    assert refresh(api, rotated).status_code == 401


def test_another_login_survives_a_revoked_family(api, staff):
    phone, tablet = log_in(api), log_in(api)
    rotated = refresh(api, phone["refresh"]).json()["refresh"]
    refresh(api, phone["refresh"])  # reuse: the phone's family is revoked

    assert refresh(api, rotated).status_code == 401
    assert refresh(api, tablet["refresh"]).status_code == 200


def test_logout_ends_this_login_only(api, staff):
    phone, tablet = log_in(api), log_in(api)
    response = api.post(LOGOUT, {"refresh": phone["refresh"]}, format="json")
    assert response.status_code == 204

    assert refresh(api, phone["refresh"]).status_code == 401
    assert refresh(api, tablet["refresh"]).status_code == 200


def test_logout_everywhere_ends_every_token_at_once(api, staff):
    phone, tablet = log_in(api), log_in(api)
    response = api.post(LOGOUT, {"refresh": phone["refresh"], "everywhere": True}, format="json")
    assert response.status_code == 204

    assert me_with(phone["access"]) == 401
    assert me_with(tablet["access"]) == 401
    assert refresh(api, tablet["refresh"]).status_code == 401


def test_logout_refuses_an_access_token_or_garbage(api, staff):
    tokens = log_in(api)
    assert api.post(LOGOUT, {"refresh": tokens["access"]}, format="json").status_code == 401
    assert api.post(LOGOUT, {"refresh": "x.y.z"}, format="json").status_code == 401
    assert api.post(LOGOUT, {}, format="json").status_code == 400


def test_deactivation_ends_tokens_even_if_the_account_comes_back(api, staff):
    tokens = log_in(api)
    staff.is_active = False
    staff.save()
    staff.is_active = True
    staff.save()

    assert me_with(tokens["access"]) == 401
    assert refresh(api, tokens["refresh"]).status_code == 401


def test_deleting_the_account_ends_its_tokens(api, resident, as_user):
    from linli.accounts.tokens import tokens_for

    tokens = tokens_for(resident)
    assert as_user(resident).post("/api/v1/me/delete/", {"confirm": True}, format="json").status_code == 204

    assert me_with(tokens["access"]) == 401
    assert refresh(api, tokens["refresh"]).status_code == 401


def test_staff_sign_a_user_out_everywhere_from_the_admin(api, staff, client):
    tokens = log_in(api)
    admin = User.objects.create_superuser("root", password="root-pass-1", display_name="管理员")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "sign_out_everywhere", "_selected_action": [staff.pk]},
        follow=True,
    )
    assert response.status_code == 200

    assert me_with(tokens["access"]) == 401
    assert refresh(api, tokens["refresh"]).status_code == 401
    assert admin.logentry_set.filter(object_id=str(staff.pk), change_message__contains="强制下线").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_of_one_token_at_once_let_exactly_one_through(staff):
    tokens = log_in(APIClient())
    barrier = threading.Barrier(8)
    statuses = []

    def attempt():
        try:
            barrier.wait()
            statuses.append(refresh(APIClient(), tokens["refresh"]).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [401] * 7


def test_a_request_loads_its_user_in_one_narrow_query_that_also_checks_the_version(staff):
    access = str(RefreshToken.for_user(staff).access_token)
    with CaptureQueriesContext(connection) as captured:
        assert me_with(access) == 200

    user_queries = [q["sql"] for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(user_queries) == 1
    assert '"token_version"' in user_queries[0] and '"password"' not in user_queries[0]
    staff.revoke_tokens()
    assert me_with(access) == 401
