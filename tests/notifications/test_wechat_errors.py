"""The real WeChat client under failure: token caching and refresh, transient vs permanent errcodes."""

import pytest
from django.core.cache import cache

from linli.lib.wechat import TOKEN_CACHE_KEY, get_client
from linli.notifications import services, tasks
from linli.notifications.models import Delivery, SubscriptionQuota
from tests import factories
from tests.notifications.conftest import TEMPLATE, sends, token_fetches
from tests.notifications.factories import give_quota

pytestmark = pytest.mark.django_db
S = Delivery.Status


def _delivery(user, **kw):
    services.notify(user, "work_order.assigned", "已派单", "师傅马上到", **kw)
    services.notifications_dispatch(notification_ids=list(user.notifications.values_list("pk", flat=True)))
    return Delivery.objects.get(notification__recipient=user)


@pytest.fixture
def eager_retries():
    """Eager tasks retry in place (no countdown) instead of raising celery.exceptions.Retry to the caller."""
    conf = tasks.send.app.conf
    before, conf.task_eager_propagates = conf.task_eager_propagates, False
    yield
    conf.task_eager_propagates = before


@pytest.fixture
def user():
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=3)
    return user


def test_it_fetches_the_stable_token_once_and_caches_it(wechat):
    client = get_client()
    assert client.access_token() == "TOKEN-1"
    assert client.access_token() == "TOKEN-1"
    (fetch,) = token_fetches(wechat)
    assert fetch.json == {
        "grant_type": "client_credential",
        "appid": "wx-notify-app",
        "secret": "notify-secret",
        "force_refresh": False,
    }


def test_it_fetches_a_new_token_when_the_cached_one_expired(wechat, settings):
    wechat.route("POST", "/cgi-bin/stable_token", lambda req: (200, {"access_token": "SHORT", "expires_in": 1}))
    client = get_client()
    assert client.access_token() == "SHORT"
    # expires_in minus the safety margin is below the 60 s floor: the entry lives 60 s; expire it now
    cache.delete(TOKEN_CACHE_KEY.format(app_id="wx-notify-app"))
    client.access_token()
    assert len(token_fetches(wechat)) == 2


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_it_refreshes_the_token_and_resends_when_wechat_says_it_is_stale(wechat, user, errcode):
    answers = iter([(200, {"errcode": errcode, "errmsg": "access_token expired"}), (200, {"errcode": 0, "msgid": 8})])
    wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: next(answers))
    delivery = _delivery(user)
    assert services.delivery_send(delivery_id=delivery.pk) == S.SENT
    first, second = sends(wechat)
    assert (first.query["access_token"], second.query["access_token"]) == (["TOKEN-1"], ["TOKEN-2"])
    assert token_fetches(wechat)[1].json["force_refresh"] is True
    assert get_client().access_token() == "TOKEN-2"  # the new token is what is cached now


def test_it_does_not_retry_a_user_who_refused(wechat, user):
    wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: (200, {"errcode": 43101, "errmsg": "refuse"}))
    delivery = _delivery(user)
    assert tasks.send.delay(delivery.pk).get() == S.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_code, delivery.attempts) == (S.FAILED, "43101", 1)
    assert len(sends(wechat)) == 1
    assert SubscriptionQuota.objects.get(user=user).remaining == 0  # WeChat says there is none left


def test_it_refunds_the_quota_of_a_message_wechat_refused_for_bad_data(wechat, user):
    wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: (200, {"errcode": 47003, "errmsg": "bad"}))
    delivery = _delivery(user)
    assert services.delivery_send(delivery_id=delivery.pk) == S.FAILED
    assert SubscriptionQuota.objects.get(user=user).remaining == 3


def test_it_retries_a_transient_failure_and_then_sends(wechat, user, eager_retries):
    answers = iter([(200, {"errcode": -1, "errmsg": "system busy"}), (502, b"bad gateway"), (200, {"msgid": 9})])
    wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: next(answers))
    delivery = _delivery(user)
    with pytest.raises(services.TransientDeliveryError):
        services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (S.RETRYING, "-1")
    # the task retries (at once when eager; with backoff and jitter in a worker) until it goes through
    assert tasks.send.delay(delivery.pk).get() == S.SENT
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_ref) == (S.SENT, 3, "9")
    assert SubscriptionQuota.objects.get(user=user).remaining == 2  # spent once, not per attempt


def test_it_gives_up_after_the_last_retry_and_shows_it_failed(wechat, user, eager_retries):
    wechat.route("POST", "/cgi-bin/message/subscribe/send", lambda req: (200, {"errcode": -1, "errmsg": "busy"}))
    delivery = _delivery(user)
    assert tasks.send.delay(delivery.pk).get() == S.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (S.FAILED, tasks.send.max_retries + 1)
    assert SubscriptionQuota.objects.get(user=user).remaining == 3  # not used: nothing reached the user


def test_it_retries_when_the_token_cannot_be_fetched_without_claiming(wechat, user):
    wechat.route("POST", "/cgi-bin/stable_token", lambda req: (500, b"down"))
    delivery = _delivery(user)
    with pytest.raises(services.TransientDeliveryError):
        services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.quota_spent) == (S.PENDING, 0, False)
    assert sends(wechat) == []


def test_the_task_has_the_delivery_guarantees():
    assert tasks.send.acks_late and tasks.send.reject_on_worker_lost
    assert tasks.send.autoretry_for == (services.TransientDeliveryError,)
    assert tasks.send.retry_backoff and tasks.send.retry_jitter
