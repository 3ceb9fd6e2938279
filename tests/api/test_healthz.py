import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_a_healthy_embedded_app(api):
    response = api.get("/healthz")
    assert response.status_code == 200
    assert response.json() in (
        {"status": "ok", "database": "ok", "broker": "eager"},
        {"status": "ok", "database": "ok", "broker": "ok"},
    )


def test_it_answers_503_naming_an_unreachable_broker(api, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = api.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}
