"""The console: failed pushes are visible and retryable; the beat schedule is in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django_celery_beat.models import PeriodicTask

from linli.notifications import services
from linli.notifications.models import Delivery
from tests import factories
from tests.notifications.conftest import TEMPLATE, sends
from tests.notifications.factories import give_quota, make_notification

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture
def operator(client):
    user = factories.make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _failed_delivery(user, **kw):
    notification = make_notification(user)
    defaults = {
        "channel": "wechat",
        "status": S.FAILED,
        "address": user.wechat_openid or "",
        "template_id": TEMPLATE,
        "payload": {"page": "", "data": {"thing1": {"value": "已派单"}}},
        "attempts": 7,
        "error_code": "-1",
        "error_message": "system busy",
    }
    return Delivery.objects.create(notification=notification, recipient=user, **{**defaults, **kw})


def test_it_shows_failed_deliveries_with_chinese_labels_and_filters(operator):
    user = factories.make_resident(display_name="李阿姨")
    _failed_delivery(user)
    response = operator.get("/admin/notifications/delivery/", {"status__exact": "failed", "channel__exact": "wechat"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "推送记录" in page and "发送失败" in page and "李阿姨" in page and "system busy" in page
    assert "重新发送所选的失败推送" in page
    for path in ("notification", "subscriptionquota", "notificationpreference"):
        assert operator.get(f"/admin/notifications/{path}/").status_code == 200


def test_the_retry_action_sends_a_failed_delivery_again(operator, wechat, django_capture_on_commit_callbacks):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=1)
    failed = _failed_delivery(user)
    pending = _failed_delivery(factories.make_resident(), status=S.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/notifications/delivery/",
            {"action": "retry", "_selected_action": [failed.pk, pending.pk]},
            follow=True,
        )
    assert "已重新排队 1 条推送" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (S.SENT, 8)
    assert len(sends(wechat)) == 1


def test_retrying_needs_the_change_permission(client):
    viewer = factories.make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(viewer)
    delivery = _failed_delivery(factories.make_resident())
    client.post("/admin/notifications/delivery/", {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == S.FAILED


def test_the_retry_service_refuses_a_delivery_that_did_not_fail():
    delivery = _failed_delivery(factories.make_resident(), status=S.SENT)
    with pytest.raises(services.InvalidTransition):
        services.delivery_retry(delivery=delivery)


# The scheduler closes "old" database connections like a request would: outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_beat_puts_the_declared_jobs_into_the_admin(operator):
    from django_celery_beat.schedulers import DatabaseScheduler

    from linli.celery import app

    DatabaseScheduler(app=app)  # what `celery -A linli beat` does at start: sync the schedule into the database
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"notifications.sweep_deliveries", "notifications.purge_read"} <= names
    sweep = PeriodicTask.objects.get(name="notifications.sweep_deliveries")
    assert (sweep.task, sweep.interval.every, sweep.interval.period) == (
        "linli.notifications.tasks.sweep_deliveries",
        300,
        "seconds",
    )
    assert PeriodicTask.objects.get(name="notifications.purge_read").crontab is not None
    page = operator.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert "notifications.sweep_deliveries" in page and "notifications.purge_read" in page
