"""Brute-force protection of the staff password login (linli.accounts.lockout)."""

from datetime import timedelta

import pytest
import time_machine

from tests import factories
from tests.support.throttles import lift_throttles

URL = "/api/v1/auth/token/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch, settings):
    # The per-IP login throttle (10/min) would answer before the lockout does.
    lift_throttles(monkeypatch)
    # Hundreds of password checks: the production hasher would take ~0.3 s for each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(api, username="staff_here", password="demo12345", ip="10.0.0.1"):
    return api.post(URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def fail(api, times, username="staff_here", ip="10.0.0.1"):
    statuses = [login(api, username, f"guess{i}", ip).status_code for i in range(times)]
    assert statuses == [401] * times


def test_five_failures_lock_the_account_even_for_the_right_password(api, staff):
    fail(api, 5)
    response = login(api)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_locked"
    assert body["message"] == "登录失败次数过多，请 15 分钟后再试"
    assert int(response["Retry-After"]) == 15 * 60


def test_the_lock_holds_from_another_address(api, staff):
    fail(api, 5, ip="10.0.0.1")
    assert login(api, ip="10.0.0.2").status_code == 429


def test_an_unknown_account_locks_the_same_way(api, staff):
    fail(api, 5, username="staff_here")
    fail(api, 5, username="no_such_user", ip="10.0.0.2")
    known = login(api, "staff_here", "x", ip="10.0.0.3")
    unknown = login(api, "no_such_user", "x", ip="10.0.0.3")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_the_username_is_counted_whatever_its_case(api, staff):
    fail(api, 3, username="staff_here")
    fail(api, 2, username="STAFF_HERE ")
    assert login(api).status_code == 429


def test_the_lock_ends_after_fifteen_minutes(api, staff):
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False) as clock:
        fail(api, 5)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert login(api).status_code == 429
        clock.shift(timedelta(seconds=2))
        assert login(api).status_code == 200


def test_after_the_lock_the_count_starts_again(api, staff):
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False) as clock:
        fail(api, 5)
        clock.shift(timedelta(minutes=16))
        fail(api, 4)
        assert login(api).status_code == 200


def test_failures_spread_over_a_long_time_do_not_lock(api, staff):
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False) as clock:
        fail(api, 4)
        clock.shift(timedelta(minutes=31))
        fail(api, 4)
        assert login(api).status_code == 200


def test_a_successful_login_clears_the_account_counter(api, staff):
    fail(api, 4)
    assert login(api).status_code == 200
    fail(api, 4)
    assert login(api).status_code == 200


def test_twenty_failures_from_one_address_block_it(api, staff):
    for n in range(20):
        fail(api, 1, username=f"guess-{n}", ip="10.9.9.9")
    blocked = login(api, ip="10.9.9.9")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "login_locked"
    assert login(api, ip="10.9.9.10").status_code == 200


def test_the_address_block_also_ends(api, staff):
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False) as clock:
        for n in range(20):
            fail(api, 1, username=f"guess-{n}", ip="10.9.9.9")
        clock.shift(timedelta(minutes=15, seconds=1))
        assert login(api, ip="10.9.9.9").status_code == 200


def test_the_limits_are_settings(api, staff, settings):
    settings.LOGIN_LOCKOUT_ACCOUNT_FAILURES = 2
    fail(api, 2)
    assert login(api).status_code == 429


def test_malformed_attempts_do_not_count(api, staff):
    for _ in range(6):
        assert api.post(URL, {"username": "staff_here"}, format="json").status_code == 400
    assert login(api).status_code == 200


def test_the_admin_login_locks_out_too(client, db):
    factories.make_user(username="boss", password="demo12345", is_staff=True, is_superuser=True)
    for i in range(5):
        page = client.post("/admin/login/", {"username": "boss", "password": f"guess{i}"})
        assert page.status_code == 200 and not page.wsgi_request.user.is_authenticated
    page = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "demo12345"})
    assert page.status_code == 200
    assert "登录失败次数过多" in page.content.decode()
    assert client.get("/admin/").status_code == 302  # still logged out
