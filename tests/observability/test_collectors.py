"""The registration API for scrape-time gauges that other apps use (queue lengths, alarms open, …)."""

import pytest
from prometheus_client.core import GaugeMetricFamily

from linli.observability.metrics import register_collector, register_gauge, unregister_collector
from tests.observability.conftest import scrape

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    names = []
    yield names.append
    for name in names:
        unregister_collector(name)


def test_a_registered_gauge_is_read_at_every_scrape(api, metrics_token, registered):
    queue = ["task"] * 3
    register_gauge("test_queue_length", "Tasks waiting", lambda: {("default",): len(queue)}, labelnames=["queue"])
    registered("test_queue_length")
    assert scrape(api).value("test_queue_length", queue="default") == 3
    queue.append("task")
    assert scrape(api).value("test_queue_length", queue="default") == 4


def test_registering_a_name_again_replaces_it(api, metrics_token, registered):
    register_gauge("test_beat_age_seconds", "Seconds since the last beat tick", lambda: 10)
    register_gauge("test_beat_age_seconds", "Seconds since the last beat tick", lambda: 20)
    registered("test_beat_age_seconds")
    assert scrape(api).value("test_beat_age_seconds") == 20


def test_a_failing_collector_is_skipped_and_counted_without_hiding_the_others(api, metrics_token, registered):
    def broken():
        raise ConnectionError("broker down")

    def families():
        family = GaugeMetricFamily("test_alarms_open", "Alarms open")
        family.add_metric([], 2)
        yield family

    register_collector("test_broken", broken)
    register_collector("test_alarms", families)
    registered("test_broken")
    registered("test_alarms")
    samples = scrape(api)
    assert samples.value("linli_scrape_collector_errors", collector="test_broken") == 1
    assert samples.value("test_alarms_open") == 2
    assert samples.value("linli_http_request_duration_seconds_count", view="metrics", method="GET") >= 0


def test_it_refuses_something_that_cannot_be_collected():
    with pytest.raises(TypeError):
        register_collector("test_nothing", 42)


def test_a_worker_serves_its_task_counters_without_the_scrape_time_gauges(registered):
    import requests

    from linli.observability.metrics import CELERY_TASKS, start_worker_exporter

    register_gauge("test_web_only", "Computed by the web's /metrics only", lambda: 1)
    registered("test_web_only")
    CELERY_TASKS.labels("tests.observability.exported", "succeeded").inc()
    server = start_worker_exporter(0)  # any free port, on 127.0.0.1
    try:
        body = requests.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5).text
    finally:
        server.shutdown()
        server.server_close()
    assert 'linli_celery_tasks_total{outcome="succeeded",task="tests.observability.exported"}' in body
    assert "test_web_only" not in body
