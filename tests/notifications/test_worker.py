"""Delivery through a real Celery worker on Redis: delivered, and exactly once across a worker crash.

Run in the PostgreSQL + Redis pass of .ci/run (skipped without a Redis broker, see tests/conftest.py).
"""

import threading
import time

import pytest
from django.db import transaction

from linli.celery import app
from linli.notifications import services, tasks
from linli.notifications.models import Delivery, Notification
from tests import factories
from tests.notifications.conftest import sends, token_fetches
from tests.notifications.factories import give_quota
from tests.notifications.worker import CeleryWorker, purge_broker, wait_until
from tests.support.stub_server import StubServer

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
S = Delivery.Status
TEMPLATE = "TPL-work-order-progress"
VISIBILITY_TIMEOUT = 2


@pytest.fixture
def workers(transactional_db):
    """Start workers with `workers(env)`; tasks of this process go to the broker, not eagerly in-process."""
    purge_broker()
    started: list[CeleryWorker] = []
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False

    def start(**env) -> CeleryWorker:
        worker = CeleryWorker(env=env)
        worker.start()
        started.append(worker)
        return worker

    yield start
    app.conf.task_always_eager = before
    for worker in started:
        worker.stop()
    purge_broker()


def _notify(user, **kw):
    with transaction.atomic():  # committed: on commit the dispatch task goes to Redis
        services.notify(user, "work_order.assigned", "报修已派单", "王师傅 今天 14:00 上门", **kw)


def test_a_worker_delivers_the_inbox_message_and_the_sandbox_wechat_message(workers):
    user = factories.make_resident()
    give_quota(user, "sandbox-work_order")
    worker = workers(LINLI_SANDBOX="1", WECHAT_APP_ID="", WECHAT_SUBSCRIBE_TEMPLATES="")
    _notify(user, link="/pages/work-orders/detail?id=1")
    assert Notification.objects.filter(recipient=user, title="报修已派单").exists()  # the inbox: at once
    delivery = wait_until(
        lambda: Delivery.objects.filter(recipient=user, status=S.SENT).first(),
        message="the WeChat push is sent",
        details=worker.log,
    )
    assert delivery.provider_ref.startswith("sandbox-")
    assert delivery.payload["data"]["thing1"] == {"value": "报修已派单"}
    assert delivery.payload["page"] == "pages/work-orders/detail?id=1"
    worker.wait_for_log("linli.notifications.tasks.dispatch[")
    worker.wait_for_log("sandbox subscribeMessage.send template=sandbox-work_order")


def test_a_worker_killed_mid_delivery_still_delivers_exactly_once(workers):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=3)
    token_requested, release = threading.Event(), threading.Event()

    def token(request):
        if not token_requested.is_set():  # the first worker: hang before the send until it is killed
            token_requested.set()
            release.wait(4)
        return 200, {"access_token": "TOKEN", "expires_in": 7200}

    with StubServer() as wechat:
        wechat.route("POST", "/cgi-bin/stable_token", token)
        wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: (200, {"errcode": 0, "msgid": 42}))
        env = {
            "LINLI_SANDBOX": "0",
            "WECHAT_APP_ID": "wx-worker-test",
            "WECHAT_APP_SECRET": "worker-secret",
            "WECHAT_API_BASE": wechat.url,
            "WECHAT_SUBSCRIBE_TEMPLATES": f"work_order={TEMPLATE}",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),  # unacked tasks older than this are redelivered
        }
        worker = workers(**env)
        _notify(user)
        assert token_requested.wait(60), worker.log()
        worker.kill()  # mid-delivery: the send task is claimed from Redis but not acked, the message not sent
        release.set()
        delivery = Delivery.objects.get(recipient=user)
        assert (delivery.status, delivery.attempts) == (S.PENDING, 0)
        assert sends(wechat) == []

        # The restarted worker restores unacked messages older than the visibility timeout when it starts
        # polling (later only every ~100 s), so it comes back once the task's lease has run out.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        worker.start()
        delivery = wait_until(
            lambda: Delivery.objects.filter(pk=delivery.pk, status=S.SENT).first(),
            message="redelivered and sent",
            details=worker.log,
        )
        assert (delivery.attempts, delivery.provider_ref) == (1, "42")
        assert len(sends(wechat)) == 1
        assert len(token_fetches(wechat)) == 2

        # A duplicate of the finished task (a retry racing, a second redelivery) sends nothing.
        duplicate = tasks.send.delay(delivery.pk)
        worker.wait_for_log(f"[{duplicate.id}] succeeded", after_start=True)
        assert len(sends(wechat)) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (S.SENT, 1)
        assert user.subscription_quotas.get().remaining == 2
