"""The operations watch in /metrics: queue lengths, beat's tick age, workers up, open alerts."""

import math

import pytest

from linli.ops.models import OpsAlert
from linli.ops.services import ops_alert_raise
from tests.observability.conftest import TOKEN, scrape
from tests.ops.factories import beat_ticked

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scrape_token")]


@pytest.fixture
def scrape_token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_it_shows_beat_s_tick_age_and_open_alerts(api, services_mode):
    beat_ticked(minutes_ago=3)
    ops_alert_raise(kind=OpsAlert.Kind.QUEUE_BACKLOG, message="任务队列积压")
    samples = scrape(api)
    assert 180 <= samples.value("linli_beat_last_tick_age_seconds") < 240
    assert samples.value("linli_ops_alerts_open", kind="queue_backlog") == 1
    assert ("linli_ops_alerts_open", frozenset({("kind", "beat_stale")})) in samples


def test_a_beat_that_never_ticked_is_not_a_fresh_one(api, services_mode):
    assert math.isnan(scrape(api)["linli_beat_last_tick_age_seconds", frozenset()])


def test_the_embedded_default_reports_no_queue_beat_or_worker(api):
    samples = scrape(api)
    names = {name for name, _labels in samples}
    assert not names & {"linli_celery_queue_length", "linli_beat_last_tick_age_seconds", "linli_celery_workers_up"}
    assert "linli_ops_alerts_open" in names


def test_it_shows_queue_lengths_and_workers_from_the_broker(api, redis_broker):
    redis_broker.rpush("celery", "m1", "m2", "m3")
    samples = scrape(api)
    assert samples.value("linli_celery_queue_length", queue="celery") == 3
    assert ("linli_celery_workers_up", frozenset()) in samples  # 0 here: no worker runs in this test
