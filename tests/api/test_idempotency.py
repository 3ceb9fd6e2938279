import pytest

from linli.api.models import IdempotencyRecord
from linli.regions.models import Street
from tests.support.race import race

URL = "/api/v1/test/streets/"
pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_the_same_key_and_body_replays_the_first_response(as_user, resident):
    client = as_user(resident)
    first = client.post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    second = client.post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Street.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(as_user, resident):
    client = as_user(resident)
    client.post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = client.post(URL, {"name": "乙"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Street.objects.count() == 1


def test_keys_belong_to_one_user(as_user, resident):
    from tests import factories

    as_user(resident).post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    as_user(factories.make_resident()).post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert Street.objects.count() == 2


def test_without_a_key_every_request_runs(as_user, resident):
    client = as_user(resident)
    client.post(URL, {"name": "甲"}, format="json")
    client.post(URL, {"name": "甲"}, format="json")
    assert Street.objects.count() == 2


def test_a_failed_request_records_nothing_and_can_be_retried(as_user, resident):
    client = as_user(resident)
    failed = client.post(URL, {"name": "甲", "fail": True}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert failed.status_code == 409
    assert not Street.objects.exists()  # the write before the error was rolled back
    assert not IdempotencyRecord.objects.exists()
    assert client.post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201


def test_an_overlong_key_is_rejected(as_user, resident):
    response = as_user(resident).post(URL, {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 129)
    assert response.status_code == 400
    assert not Street.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_write_once(resident):
    from tests.conftest import client_for

    clients = [client_for(resident) for _ in range(6)]
    results = race(
        [lambda c=c: c.post(URL, {"name": "并发"}, format="json", HTTP_IDEMPOTENCY_KEY="same") for c in clients]
    )
    assert Street.objects.count() == 1
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["id"] for r in results}) == 1
