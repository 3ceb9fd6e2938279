"""The request id travels with a task: in the message headers when published, restored in the worker.

The in-process tests publish to kombu's in-memory broker; the real `celery worker` one (PostgreSQL +
Redis, like tests/notifications/test_worker.py) follows a work order's SMS task into the worker's log.
"""

import pytest

from linli.celery import app
from linli.observability.celery_signals import HEADER
from linli.observability.context import request_id


@pytest.fixture
def memory_broker():
    """A connection to kombu's in-process broker; `send_task` publishes whatever the eager setting."""
    with app.connection_for_write("memory://") as connection:
        yield connection


def _published_headers(connection) -> dict:
    queue = connection.SimpleQueue("celery")
    message = queue.get(timeout=5)
    message.ack()
    queue.close()
    return message.headers


def test_a_task_enqueued_during_a_request_carries_its_id(memory_broker):
    token = request_id.set("lb-5e1f")
    try:
        app.send_task("linli.notifications.tasks.purge_read", connection=memory_broker)
    finally:
        request_id.reset(token)
    assert _published_headers(memory_broker)[HEADER] == "lb-5e1f"


def test_a_task_enqueued_outside_a_request_carries_none(memory_broker):
    app.send_task("linli.notifications.tasks.purge_read", connection=memory_broker)
    assert HEADER not in _published_headers(memory_broker)


def test_an_eager_task_outside_a_request_runs_under_an_id_of_its_own_and_leaves_none_behind(db):
    seen = []

    @app.task(name="tests.observability.remember_request_id")
    def remember():
        seen.append(request_id.get())

    remember.apply()  # run here, as an eager task is, whatever the broker setting
    remember.apply()
    assert len(seen[0]) == 32 and seen[0] != seen[1]
    assert request_id.get() == ""


@pytest.fixture
def worker(transactional_db):
    from tests.notifications.worker import CeleryWorker, purge_broker

    purge_broker()
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this process publishes to Redis; the worker runs the tasks
    started = CeleryWorker(env={"LINLI_SANDBOX": "1", "SMS_BACKEND": "console", "LOG_FORMAT": "json"})
    started.start()
    yield started
    app.conf.task_always_eager = before
    started.stop()
    purge_broker()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_task_under_the_id_of_the_request_that_enqueued_it(as_user, community, settings, worker):
    import json

    from tests.residents import factories as rf

    settings.NOTIFICATION_KINDS = {"work_order": {"channels": ["sms"]}}
    settings.TRUSTED_PROXIES = ["10.0.3.0/24"]
    owner, room = rf.make_verified_resident(community, phone="13800001111")
    rf.make_property_manager(community, username="property_here", phone="13911112222")
    body = {"kind": "repair", "category": rf.make_category().pk, "description": "水管漏水", "room": room.pk}

    # Autocommit, as in production: the service's transaction commits inside the request and the
    # dispatch task goes to Redis then, under the request's id.
    response = as_user(owner).post(
        "/api/v1/residents/work-orders/", body, HTTP_X_REQUEST_ID="lb-worker-1", REMOTE_ADDR="10.0.3.7"
    )
    assert response.status_code == 201, response.json()
    assert response["X-Request-ID"] == "lb-worker-1"

    worker.wait_for_log("console SMS to", timeout=60)
    lines = [json.loads(line) for line in worker.log().splitlines() if line.startswith("{")]
    # dispatch (enqueued by the request) and send (enqueued by dispatch, in the worker) alike
    sms = [line for line in lines if line["logger"] == "linli.notifications.sms"]
    done = [line for line in lines if line["logger"] == "celery.app.trace" and "succeeded" in line["message"]]
    assert sms and all(line["request_id"] == "lb-worker-1" for line in sms), worker.log()
    assert len(done) == 2 and all(line["request_id"] == "lb-worker-1" for line in done), worker.log()
    assert "13911112222" not in worker.log()
