"""notify(): inbox rows in bulk, dedupe, and channel delivery enqueued only after commit, in chunks."""

import pytest
from django.db import transaction

from linli.notifications import services
from linli.notifications.models import Delivery, Notification
from tests import factories
from tests.notifications.conftest import sends
from tests.notifications.factories import give_quota

pytestmark = pytest.mark.django_db


def test_it_writes_one_inbox_row_per_recipient_in_bulk(django_assert_num_queries):
    users = [factories.make_user() for _ in range(3)]
    # 1 SAVEPOINT, 1 bulk INSERT of the 3 rows, 1 RELEASE (announcements only go to the inbox: nothing else)
    with django_assert_num_queries(3):
        written = services.notify(users, "announcement.published", "停水通知", "明天 9:00-12:00 停水")
    assert written == 3
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users)


def test_it_accepts_a_user_ids_or_a_queryset_and_drops_duplicates():
    a, b = factories.make_user(), factories.make_user()
    assert services.notify(a, "announcement.published", "t", "b") == 1
    assert services.notify([a.pk, b.pk, a.pk], "announcement.published", "t", "b") == 2
    assert services.notify(type(a).objects.filter(pk=b.pk), "announcement.published", "t", "b") == 1
    assert services.notify([], "announcement.published", "t", "b") == 0


def test_it_writes_a_deduped_notification_only_once():
    users = [factories.make_user() for _ in range(2)]
    assert services.notify(users[:1], "verification.approved", "认证通过", "", dedupe_key="v:1") == 1
    assert services.notify(users, "verification.approved", "认证通过", "", dedupe_key="v:1") == 1
    assert Notification.objects.filter(dedupe_key="v:1").count() == 2


def test_it_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, sandbox_wechat):
    user = factories.make_resident()
    give_quota(user, sandbox_wechat)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(user, "work_order.assigned", "已派单", "师傅马上到")
        raise RuntimeError("the caller's service failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_it_enqueues_delivery_only_after_commit(django_capture_on_commit_callbacks, sandbox_wechat, monkeypatch):
    user = factories.make_resident()
    give_quota(user, sandbox_wechat)
    enqueued = []
    monkeypatch.setattr(services, "enqueue_dispatch", enqueued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        services.notify(user, "work_order.assigned", "已派单", "师傅马上到")
        assert enqueued == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert enqueued == [list(Notification.objects.values_list("pk", flat=True))]


def test_it_chunks_a_large_fan_out_into_dispatch_tasks(django_capture_on_commit_callbacks, monkeypatch, sandbox_wechat):
    from linli.notifications import tasks

    monkeypatch.setattr(services, "CHUNK_SIZE", 4)
    users = [factories.make_resident() for _ in range(10)]
    for user in users:
        give_quota(user, sandbox_wechat)
    chunks = []
    monkeypatch.setattr(tasks.dispatch, "delay", chunks.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(users, "work_order.assigned", "已派单", "") == 10
    assert [len(chunk) for chunk in chunks] == [4, 4, 2]
    assert sorted(pk for chunk in chunks for pk in chunk) == sorted(Notification.objects.values_list("pk", flat=True))
    assert Notification.objects.filter(dispatch_pending=True).count() == 10  # the tasks have not run yet


def test_it_dispatches_a_deduped_call_once(django_capture_on_commit_callbacks, sandbox_wechat):
    user = factories.make_resident()
    give_quota(user, sandbox_wechat, remaining=5)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(user, "work_order.assigned", "已派单", "", dedupe_key="wo:1:assigned")
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1


def test_it_does_not_enqueue_anything_for_an_inbox_only_kind(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(factories.make_resident(), "health.policy.published", "新政策", "")
    assert callbacks == []
    assert not Notification.objects.filter(dispatch_pending=True).exists()


def test_it_uses_the_channels_the_caller_names(django_capture_on_commit_callbacks, wechat):
    user = factories.make_resident(phone="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user, "work_order.assigned", "已派单", "", channels=["inbox", "sms"])
    assert list(Delivery.objects.values_list("channel", "status")) == [("sms", "sent")]
    assert sends(wechat) == []


def test_it_refuses_an_unknown_channel():
    with pytest.raises(ValueError, match="carrier_pigeon"):
        services.notify(factories.make_user(), "x.y", "t", "b", channels=["carrier_pigeon"])
