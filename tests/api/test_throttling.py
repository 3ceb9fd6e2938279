"""The anon/user rate limits (linli/api/throttling.py): fixed windows counted in one Redis round trip,
or in Django's cache without Redis. The clock is the throttles' own timer, pinned per test."""

import pytest
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from linli.api import throttling
from linli.api.throttling import AnonThrottle, UserThrottle

ME, COMMUNITIES = "/api/v1/me/", "/api/v1/communities/"
WINDOW_START = 29_000_000 * 60  # a minute boundary


@pytest.fixture
def rates(monkeypatch):
    # DRF copies the rates into a class attribute at import; tests/support/throttles.py does the same.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})


@pytest.fixture
def clock(monkeypatch):
    """`clock(seconds)` sets the throttles' time to `seconds` after a minute boundary."""

    def set_to(seconds: float) -> None:
        for throttle in (AnonThrottle, UserThrottle):
            monkeypatch.setattr(throttle, "timer", lambda self: WINDOW_START + seconds)

    set_to(0)
    return set_to


def test_it_refuses_a_user_over_the_rate_with_the_envelope_and_retry_after(rates, clock, resident, as_user):
    client = as_user(resident)
    clock(20)

    statuses = [client.get(ME).status_code for _ in range(3)]
    refused = client.get(ME)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused["Retry-After"] == "40"  # the rest of the minute


def test_the_next_window_admits_the_user_again(rates, clock, resident, as_user):
    client = as_user(resident)
    for _ in range(3):
        client.get(ME)
    assert client.get(ME).status_code == 429

    clock(60)

    assert client.get(ME).status_code == 200


def test_it_counts_each_user_apart(rates, clock, resident, staff, as_user):
    for _ in range(3):
        as_user(resident).get(ME)

    assert as_user(resident).get(ME).status_code == 429
    assert as_user(staff).get(ME).status_code == 200


def test_it_limits_anonymous_clients_by_address(rates, clock, api, db):
    statuses = [api.get(COMMUNITIES, REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert api.get(COMMUNITIES, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_lifted_rates_never_refuse(monkeypatch, clock, resident, as_user):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    client = as_user(resident)

    assert {client.get(ME).status_code for _ in range(5)} == {200}


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL=redis://…")
def test_with_redis_one_key_per_client_and_window_that_expires_after_it(rates, clock, resident, as_user):
    client = as_user(resident)
    for _ in range(2):
        client.get(ME)

    redis = throttling._redis()
    (key,) = redis.keys("throttle:*")
    assert key.decode() == f"throttle:throttle_user_{resident.pk}:{WINDOW_START // 60}"
    assert int(redis.get(key)) == 2
    assert 0 < redis.ttl(key) <= 61
