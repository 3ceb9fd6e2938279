"""Beat and queue watch: a stalled beat or a long queue opens one alert row, healthy again resolves it."""

from io import StringIO

import pytest
from celery.signals import after_task_publish
from django.utils import timezone

from linli.celery import app
from linli.ops.models import Heartbeat, OpsAlert
from linli.ops.selectors import BeatStatus, OpsStatus, WorkerStatus, beat_status
from linli.ops.services import alerts_evaluate, ops_alert_raise
from linli.ops.tasks import beat_tick, check_health
from tests.ops.factories import beat_ticked
from tests.support.race import errors, race_n

pytestmark = pytest.mark.django_db
Kind = OpsAlert.Kind


def _queues(**lengths) -> OpsStatus:
    return OpsStatus(beat=BeatStatus("ok", timezone.now(), 0), queues=lengths, workers=WorkerStatus("skipped"))


def test_it_opens_one_alert_when_beat_has_not_ticked_for_too_long(services_mode):
    services_mode.OPS_BEAT_STALE_MINUTES = 5
    beat_ticked(minutes_ago=12)
    alerts_evaluate()
    alerts_evaluate()
    alert = OpsAlert.objects.get()
    assert alert.kind == Kind.BEAT_STALE and alert.resolved_at is None
    assert "12 分钟没有心跳" in alert.message


def test_it_keeps_quiet_while_beat_ticks_within_the_limit(services_mode):
    services_mode.OPS_BEAT_STALE_MINUTES = 5
    beat_ticked(minutes_ago=2)
    assert alerts_evaluate() == []
    assert beat_status().state == "ok"


def test_it_alerts_when_beat_never_ticked(services_mode):
    alerts_evaluate()
    assert OpsAlert.objects.get().kind == Kind.BEAT_STALE


def test_it_resolves_the_beat_alert_when_beat_ticks_again(services_mode):
    beat_ticked(minutes_ago=30)
    alerts_evaluate()
    beat_tick.apply()  # the tick task, as a worker runs it
    assert alerts_evaluate() == []
    alert = OpsAlert.objects.get()
    assert alert.resolved_at is not None


def test_a_new_stall_after_recovery_opens_a_new_alert(services_mode):
    beat_ticked(minutes_ago=30)
    alerts_evaluate()
    beat_ticked(minutes_ago=0)
    alerts_evaluate()
    beat_ticked(minutes_ago=30)
    alerts_evaluate()
    assert OpsAlert.objects.filter(kind=Kind.BEAT_STALE).count() == 2
    assert OpsAlert.objects.filter(resolved_at__isnull=True).count() == 1


def test_beat_records_its_tick_when_it_publishes_the_tick_task():
    # Beat's own process writes the tick (after_task_publish), so a stalled worker pool does not
    # look like a stalled beat.
    after_task_publish.send(sender="linli.ops.tasks.beat_tick", body=None, exchange="", routing_key="celery")
    assert Heartbeat.objects.get(name=Heartbeat.BEAT).beat_at is not None


def test_other_tasks_published_do_not_count_as_a_tick():
    after_task_publish.send(sender="linli.notifications.tasks.send", body=None, exchange="", routing_key="celery")
    assert not Heartbeat.objects.exists()


def test_the_tick_and_the_check_are_beat_jobs():
    schedule = app.conf.beat_schedule
    assert schedule["ops.beat_tick"]["task"] == "linli.ops.tasks.beat_tick"
    assert schedule["ops.check_health"]["task"] == "linli.ops.tasks.check_health"


def test_the_check_job_opens_the_alert(services_mode):
    beat_ticked(minutes_ago=60)
    assert check_health.apply().get() == 1
    assert OpsAlert.objects.filter(kind=Kind.BEAT_STALE, resolved_at__isnull=True).exists()


def test_it_opens_a_backlog_alert_naming_the_long_queue(services_mode):
    services_mode.OPS_QUEUE_ALERT_LENGTH = 100
    beat_ticked(minutes_ago=0)
    alerts_evaluate(status=_queues(celery=101, payments=3))
    alert = OpsAlert.objects.get(kind=Kind.QUEUE_BACKLOG)
    assert "celery 队列 101 条" in alert.message and "payments" not in alert.message


def test_the_backlog_alert_resolves_when_the_queue_drains(services_mode):
    services_mode.OPS_QUEUE_ALERT_LENGTH = 100
    alerts_evaluate(status=_queues(celery=500))
    alerts_evaluate(status=_queues(celery=7))
    assert OpsAlert.objects.get(kind=Kind.QUEUE_BACKLOG).resolved_at is not None


def test_an_unknown_queue_length_leaves_the_backlog_alert_as_it_was(services_mode):
    services_mode.OPS_QUEUE_ALERT_LENGTH = 100
    alerts_evaluate(status=_queues(celery=500))
    alerts_evaluate(status=_queues(celery=None))
    assert OpsAlert.objects.get(kind=Kind.QUEUE_BACKLOG).resolved_at is None


def test_the_embedded_default_raises_nothing():
    # No beat, no broker: tasks run in-process, there is nothing to stall.
    assert alerts_evaluate() == []
    assert beat_status().state == "eager"


def test_it_counts_the_broker_queues(redis_broker, settings):
    settings.OPS_CELERY_QUEUES = ["celery", "payments"]
    redis_broker.rpush("celery", "a", "b")
    redis_broker.rpush("celery\x06\x163", "c")  # kombu's list for priority 3 of the same queue
    from linli.ops.selectors import queue_lengths

    assert queue_lengths() == {"celery": 3, "payments": 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_checks_running_at_once_open_one_alert():
    results = race_n(6, lambda i: ops_alert_raise(kind=Kind.QUEUE_BACKLOG, message=f"检查 {i}"))
    assert errors(results) == []
    assert OpsAlert.objects.filter(kind=Kind.QUEUE_BACKLOG).count() == 1
    assert len({alert.pk for alert in results}) == 1


def test_the_cron_command_exits_non_zero_while_an_alert_is_open(services_mode):
    from django.core.management import CommandError, call_command

    beat_ticked(minutes_ago=90)
    with pytest.raises(CommandError, match="beat"):
        call_command("ops_check", stdout=StringIO())
    beat_ticked(minutes_ago=0)
    out = StringIO()
    call_command("ops_check", stdout=out)
    assert "no open alert" in out.getvalue()
