"""`/healthz/detail`: workers, beat, queues and alerts, only for the ops role, superusers or the ops token."""

import pytest

from linli.ops.models import OpsAlert
from tests.ops.factories import beat_ticked, make_ops, make_superuser

pytestmark = pytest.mark.django_db
TOKEN = "ops-monitor-3b7e9c1f0a5d"


def test_it_refuses_an_anonymous_caller(api):
    response = api.get("/healthz/detail")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_refuses_a_resident(as_user, resident):
    response = as_user(resident).get("/healthz/detail")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_it_refuses_community_staff(as_user, staff):
    assert as_user(staff).get("/healthz/detail").status_code == 403


def test_it_refuses_a_bad_access_token(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api.get("/healthz/detail").status_code == 401


@pytest.mark.parametrize("make", [make_ops, make_superuser], ids=["ops role", "superuser"])
def test_it_shows_the_detail_to_operators(as_user, make):
    response = as_user(make()).get("/healthz/detail")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    # The embedded default: no beat, no worker, no queue to count.
    assert body["beat"]["state"] == "eager"
    assert body["workers"] == {"state": "eager", "count": 0, "names": []}
    assert body["queues"] == {"celery": None}
    assert body["alerts"] == []


def test_it_accepts_the_monitoring_token(api, settings):
    settings.OPS_HEALTHZ_TOKEN = TOKEN
    response = api.get("/healthz/detail", HTTP_X_OPS_TOKEN=TOKEN)
    assert response.status_code == 200
    assert "beat" in response.json()


def test_it_refuses_a_wrong_token(api, settings):
    settings.OPS_HEALTHZ_TOKEN = TOKEN
    assert api.get("/healthz/detail", HTTP_X_OPS_TOKEN=TOKEN + "x").status_code == 401


def test_no_token_is_accepted_while_none_is_configured(api, settings):
    settings.OPS_HEALTHZ_TOKEN = ""
    assert api.get("/healthz/detail", HTTP_X_OPS_TOKEN="").status_code == 401


def test_the_public_healthz_names_no_queue_or_worker(api):
    assert set(api.get("/healthz").json()) == {"status", "database", "broker"}


def test_it_reports_a_stalled_beat_queues_and_workers_from_the_broker(api, settings, redis_broker):
    settings.OPS_HEALTHZ_TOKEN = TOKEN
    settings.OPS_BEAT_STALE_MINUTES = 5
    settings.OPS_WORKER_PING_TIMEOUT = 0.2
    beat_ticked(minutes_ago=20)
    redis_broker.rpush("celery", "m1", "m2")
    body = api.get("/healthz/detail", HTTP_X_OPS_TOKEN=TOKEN).json()
    assert body["broker"] == "ok"
    assert body["beat"]["state"] == "stale" and body["beat"]["age_seconds"] >= 20 * 60
    assert body["queues"] == {"celery": 2}
    assert body["workers"]["state"] == "none"  # no worker runs in this test
    assert [alert["kind"] for alert in body["alerts"]] == [OpsAlert.Kind.BEAT_STALE]
