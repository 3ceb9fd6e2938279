"""Finding 9 of the security review: parallel wrong passwords must not outrun the login lockout.

Counting a failure only after its password was checked let 60 parallel guesses get 8 passwords
checked against a limit of 5. Attempts are now counted before the check (linli.accounts.lockout).
Run on PostgreSQL with a real Redis cache (REDIS_URL) to see it across connections as in production.
"""

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.support.race import errors, race_n
from tests.support.throttles import lift_throttles

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    # The per-IP login throttle (10/min) would answer before the lockout does.
    lift_throttles(monkeypatch)


def guess(n: int, *, username: str = "staff_race", ip: str = "10.0.0.1") -> int:
    return (
        APIClient()
        .post(URL, {"username": username, "password": f"guess{n}"}, format="json", REMOTE_ADDR=ip)
        .status_code
    )


def test_thirty_parallel_wrong_passwords_check_at_most_five():
    factories.make_user(username="staff_race", password="demo12345", is_staff=True)
    statuses = race_n(30, guess)
    assert not errors(statuses)
    assert sorted(set(statuses)) == [401, 429]
    assert statuses.count(401) <= 5  # each 401 is a password that was checked
    assert statuses.count(401) + statuses.count(429) == 30


def test_after_a_parallel_burst_even_the_right_password_waits():
    factories.make_user(username="staff_race", password="demo12345", is_staff=True)
    race_n(30, lambda n: guess(n, ip=f"10.0.1.{n}"))
    response = APIClient().post(URL, {"username": "staff_race", "password": "demo12345"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
