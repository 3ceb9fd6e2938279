"""Beat jobs: the delivery sweeper and the purge of old read messages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.notifications import services, tasks
from linli.notifications.models import Delivery, Notification
from tests import factories
from tests.notifications.conftest import TEMPLATE, sends
from tests.notifications.factories import give_quota, make_notification

pytestmark = pytest.mark.django_db
S = Delivery.Status


def _age(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def test_the_sweeper_dispatches_notifications_whose_task_was_lost(wechat, django_capture_on_commit_callbacks):
    user = factories.make_resident()
    give_quota(user, TEMPLATE)
    services.notify(user, "work_order.assigned", "已派单", "")  # its on-commit enqueue never ran
    notification = Notification.objects.get()
    assert tasks.sweep_deliveries.delay().get()["dispatched"] == 0  # too young: its task may still be queued
    _age(Notification, notification.pk, created_at=timezone.now() - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_deliveries.delay().get()["dispatched"] == 1
    assert Delivery.objects.get().status == S.SENT
    assert len(sends(wechat)) == 1


def test_the_sweeper_requeues_a_delivery_whose_task_was_lost(wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE)
    services.notify(user, "work_order.assigned", "已派单", "")
    services.notifications_dispatch(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    delivery = Delivery.objects.get()
    _age(Delivery, delivery.pk, updated_at=timezone.now() - timedelta(minutes=31))
    assert tasks.sweep_deliveries.delay().get()["requeued"] == 1
    delivery.refresh_from_db()
    assert delivery.status == S.SENT


def test_the_sweeper_fails_a_send_that_never_came_back_and_does_not_resend_it(wechat):
    user = factories.make_resident()
    notification = make_notification(user)
    stuck = Delivery.objects.create(
        notification=notification, recipient=user, channel="wechat", status=S.SENDING, address="o", attempts=1
    )
    _age(Delivery, stuck.pk, claimed_at=timezone.now() - timedelta(minutes=16))
    fresh = Delivery.objects.create(
        notification=make_notification(user), recipient=user, channel="wechat", status=S.SENDING, address="o"
    )
    _age(Delivery, fresh.pk, claimed_at=timezone.now())
    assert tasks.sweep_deliveries.delay().get()["stuck"] == 1
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error_code) == (S.FAILED, "outcome_unknown")
    assert Delivery.objects.get(pk=fresh.pk).status == S.SENDING
    assert sends(wechat) == []


def test_it_purges_messages_read_long_ago(settings):
    settings.NOTIFICATION_READ_RETENTION_DAYS = 180
    user = factories.make_user()
    long_ago = timezone.now() - timedelta(days=200)
    old_read = make_notification(user)
    _age(Notification, old_read.pk, created_at=long_ago, read_at=long_ago)
    old_unread = make_notification(user)
    _age(Notification, old_unread.pk, created_at=long_ago)
    recent_read = make_notification(user, read_at=timezone.now())
    assert tasks.purge_read.delay().get() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
