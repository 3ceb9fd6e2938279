"""Channel delivery: WeChat subscribe messages with one-time quotas, SMS, preferences, exactly-once sends."""

import pytest

from linli.notifications import services, tasks
from linli.notifications.models import Delivery, NotificationPreference, SubscriptionQuota
from tests import factories
from tests.notifications.conftest import TEMPLATE, sends
from tests.notifications.factories import give_quota

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """notify() and run what it enqueues after commit (tasks are eager in the test settings)."""

    def call(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(*args, **kwargs)

    return call


def test_it_records_the_sandbox_wechat_message_it_would_send(notify_now, sandbox_wechat):
    user = factories.make_resident()
    give_quota(user, sandbox_wechat)
    notify_now(
        user, "work_order.assigned", "报修已派单", "王师傅 今天 14:00 上门", link="/pages/work-orders/detail?id=9"
    )
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == ("wechat", S.SENT, 1)
    assert delivery.provider_ref.startswith("sandbox-")
    assert delivery.address == user.wechat_openid
    assert delivery.template_id == "sandbox-work_order"
    assert delivery.payload["page"] == "pages/work-orders/detail?id=9"
    assert delivery.payload["data"]["thing1"] == {"value": "报修已派单"}
    assert delivery.payload["data"]["thing2"] == {"value": "王师傅 今天 14:00 上门"}
    assert "年" in delivery.payload["data"]["time3"]["value"]


def test_it_sends_the_subscribe_message_wechat_expects(notify_now, wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE)
    notify_now(user, "work_order.assigned", "报修已派单" * 5, "", link="/pages/work-orders/detail?id=9")
    (sent,) = sends(wechat)
    assert sent.query == {"access_token": ["TOKEN-1"]}
    assert sent.json["touser"] == user.wechat_openid
    assert sent.json["template_id"] == TEMPLATE
    assert sent.json["page"] == "pages/work-orders/detail?id=9"
    assert sent.json["miniprogram_state"] == "trial"
    assert sent.json["lang"] == "zh_CN"
    thing1 = sent.json["data"]["thing1"]["value"]
    assert len(thing1) == 20 and thing1.endswith("…")  # thing.DATA is at most 20 characters
    assert sent.json["data"]["thing2"] == {"value": "-"}  # WeChat refuses an empty value
    assert Delivery.objects.get().provider_ref == "7"


def test_it_spends_one_quota_per_message_and_falls_back_to_the_inbox(notify_now, wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=1)
    notify_now(user, "work_order.assigned", "已派单", "")
    notify_now(user, "work_order.completed", "已完成", "")
    assert user.notifications.count() == 2
    assert SubscriptionQuota.objects.get().remaining == 0
    assert len(sends(wechat)) == 1
    assert list(Delivery.objects.values_list("status", flat=True)) == [S.SENT]  # no row, no failed call


def test_it_skips_a_send_whose_quota_went_between_planning_and_sending(wechat):
    user = factories.make_resident()
    quota = give_quota(user, TEMPLATE, remaining=1)
    services.notify(user, "work_order.assigned", "已派单", "")
    services.notifications_dispatch(notification_ids=list(user.notifications.values_list("pk", flat=True)))
    delivery = Delivery.objects.get()
    quota.remaining = 0
    quota.save()
    assert services.delivery_send(delivery_id=delivery.pk) == S.SKIPPED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (S.SKIPPED, "no_quota")
    assert sends(wechat) == []


def test_it_never_sends_a_delivery_twice(notify_now, wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=5)
    notify_now(user, "work_order.assigned", "已派单", "")
    delivery = Delivery.objects.get()
    # the same task delivered again (broker redelivery, a retry racing a duplicate)
    assert tasks.send.delay(delivery.pk).get() == S.SENT
    assert tasks.send.apply(args=(delivery.pk,)).get() == S.SENT
    assert len(sends(wechat)) == 1
    assert SubscriptionQuota.objects.get().remaining == 4
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_it_dispatches_a_chunk_once(notify_now, wechat):
    user = factories.make_resident()
    give_quota(user, TEMPLATE, remaining=5)
    notify_now(user, "work_order.assigned", "已派单", "")
    ids = list(user.notifications.values_list("pk", flat=True))
    assert tasks.dispatch.delay(ids).get() == 0
    assert len(sends(wechat)) == 1


def test_it_does_not_push_a_kind_the_user_turned_off(notify_now, sandbox_wechat):
    user = factories.make_resident(phone="13812345678")
    give_quota(user, sandbox_wechat)
    NotificationPreference.objects.create(user=user, kind="work_order", enabled=False)
    notify_now(user, "work_order.assigned", "已派单", "")
    assert user.notifications.count() == 1  # the inbox always gets it
    assert not Delivery.objects.exists()


def test_it_pushes_an_essential_kind_even_if_a_preference_says_off(notify_now, sandbox_wechat):
    user = factories.make_resident(phone="13812345678")
    give_quota(user, "sandbox-health.vitals.abnormal")
    NotificationPreference.objects.create(user=user, kind="health.vitals.abnormal", enabled=False)
    notify_now(user, "health.vitals.abnormal", "血压偏高提醒", "收缩压 165")
    assert sorted(Delivery.objects.values_list("channel", "status")) == [("sms", S.SENT), ("wechat", S.SENT)]


def test_it_texts_through_the_console_backend_with_the_number_masked(notify_now, caplog, sandbox_wechat):
    user = factories.make_resident(phone="13812345678")
    with caplog.at_level("INFO", logger="linli.notifications.sms"):
        notify_now(user, "devices.offline", "设备离线", "斗潭社区 健康小屋 已离线 10 分钟")
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.template_id) == ("sms", S.SENT, "SMS_LINLI_DEVICE_ALERT")
    assert delivery.provider_ref.startswith("console-")
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_it_skips_recipients_without_an_address(notify_now, sandbox_wechat, settings):
    settings.SMS_BACKEND = ""
    staff = factories.make_user(phone="13800000000")  # no openid
    resident = factories.make_resident()  # no phone
    give_quota(staff, "sandbox-health.vitals.abnormal")
    give_quota(resident, "sandbox-health.vitals.abnormal")
    notify_now([staff, resident], "health.vitals.abnormal", "血压偏高提醒", "")
    assert list(Delivery.objects.values_list("recipient_id", "channel")) == [(resident.pk, "wechat")]


def test_it_sends_nothing_but_the_inbox_when_wechat_is_not_configured(notify_now, settings):
    settings.WECHAT_APP_ID = ""
    settings.LINLI_SANDBOX = False
    settings.WECHAT_SUBSCRIBE_TEMPLATES = {"work_order": "TPL"}
    user = factories.make_resident()
    give_quota(user, "TPL")
    notify_now(user, "work_order.assigned", "已派单", "")
    assert user.notifications.count() == 1
    assert not Delivery.objects.exists()
