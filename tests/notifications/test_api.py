"""The resident API: inbox, unread count, read / read-all, preferences, subscription quotas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.notifications.models import Notification, NotificationPreference, SubscriptionQuota
from tests import factories
from tests.notifications.factories import give_quota, make_notification

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


@pytest.fixture
def me(resident, as_user):
    return as_user(resident)


def test_it_lists_my_notifications_newest_first(me, resident):
    old = make_notification(resident, title="旧消息")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    new = make_notification(resident, title="新消息", link="/pages/x", data={"work_order": 3})
    make_notification(factories.make_user(), title="别人的消息")
    response = me.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [new.pk, old.pk]
    assert body["results"][0] | {"created_at": None} == {
        "id": new.pk,
        "kind": "work_order.assigned",
        "title": "新消息",
        "body": "您的报修已派给维修师傅",
        "link": "/pages/x",
        "data": {"work_order": 3},
        "is_read": False,
        "read_at": None,
        "created_at": None,
    }


def test_it_filters_unread_and_read(me, resident):
    unread = make_notification(resident)
    read = make_notification(resident, read_at=timezone.now())
    assert [n["id"] for n in me.get(URL, {"unread": "true"}).json()["results"]] == [unread.pk]
    assert [n["id"] for n in me.get(URL, {"unread": "false"}).json()["results"]] == [read.pk]


def test_it_filters_by_kind_prefix(me, resident):
    order = make_notification(resident, kind="market.order_paid")
    make_notification(resident, kind="marketing.promo")
    assert [n["id"] for n in me.get(URL, {"kind": "market"}).json()["results"]] == [order.pk]


def test_it_paginates(me, resident):
    for _ in range(3):
        make_notification(resident)
    body = me.get(URL, {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_lists_with_a_constant_number_of_queries(me, resident, rows, django_assert_num_queries):
    Notification.objects.bulk_create([Notification(recipient=resident, kind="a.b", title=f"{i}") for i in range(rows)])
    # 1 the token's user, 2 COUNT of my notifications, 3 the page
    with django_assert_num_queries(3):
        assert me.get(URL).status_code == 200


def test_it_counts_my_unread_notifications(me, resident):
    make_notification(resident)
    make_notification(resident)
    make_notification(resident, read_at=timezone.now())
    make_notification(factories.make_user())
    assert me.get(f"{URL}unread-count/").json() == {"unread": 2}


def test_it_marks_one_read_once(me, resident):
    notification = make_notification(resident)
    response = me.post(f"{URL}{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    first = Notification.objects.get().read_at
    assert me.post(f"{URL}{notification.pk}/read/").json()["read_at"] == response.json()["read_at"]
    assert Notification.objects.get().read_at == first


def test_it_hides_someone_elses_notification(me):
    theirs = make_notification(factories.make_user())
    response = me.post(f"{URL}{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Notification.objects.get().read_at is None
    assert me.post(f"{URL}99999999999999999999/read/").status_code == 404


def test_it_marks_all_mine_read(me, resident):
    make_notification(resident)
    make_notification(resident)
    make_notification(resident, read_at=timezone.now())
    theirs = make_notification(factories.make_user())
    assert me.post(f"{URL}read-all/").json() == {"updated": 2}
    assert me.get(f"{URL}unread-count/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_needs_a_login(api):
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}preferences/").status_code == 401


# --- preferences ---------------------------------------------------------------------------------


def test_it_shows_the_topics_that_push_with_my_choices(me, resident):
    NotificationPreference.objects.create(user=resident, kind="events", enabled=False)
    body = me.get(f"{URL}preferences/").json()
    kinds = {k["kind"]: k for k in body["kinds"]}
    assert body["muted"] == ["events"]
    assert kinds["events"] == {
        "kind": "events",
        "label": "活动报名与变更",
        "essential": False,
        "channels": ["wechat"],
        "enabled": False,
    }
    assert kinds["health.vitals.abnormal"]["essential"] is True
    assert "announcement" not in kinds  # inbox only: nothing to turn off


def test_it_replaces_my_muted_topics(me, resident):
    NotificationPreference.objects.create(user=resident, kind="events", enabled=False)
    response = me.put(f"{URL}preferences/", {"muted": ["market", "work_order"]}, format="json")
    assert response.status_code == 200
    assert response.json()["muted"] == ["market", "work_order"]
    assert sorted(NotificationPreference.objects.filter(user=resident).values_list("kind", flat=True)) == [
        "market",
        "work_order",
    ]
    assert me.put(f"{URL}preferences/", {"muted": []}, format="json").json()["muted"] == []


@pytest.mark.parametrize("kind", ["verification", "health.vitals.abnormal"])
def test_it_refuses_to_mute_an_essential_topic(me, resident, kind):
    response = me.put(f"{URL}preferences/", {"muted": [kind]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "必要通知" in response.json()["fields"]["muted"][0]
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("body", [{"muted": ["no.such.topic"]}, {"muted": ["announcement"]}, {"muted": "events"}, {}])
def test_it_refuses_bad_preferences(me, body):
    response = me.put(f"{URL}preferences/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


# --- subscriptions -------------------------------------------------------------------------------


def test_it_adds_one_message_per_accepted_template_per_call(me, resident, sandbox_wechat):
    other = "sandbox-events"
    body = {"template_ids": [sandbox_wechat, other, sandbox_wechat]}
    assert me.post(f"{URL}subscriptions/", body, format="json").json() == [
        {"template_id": other, "remaining": 1},
        {"template_id": sandbox_wechat, "remaining": 1},
    ]
    me.post(f"{URL}subscriptions/", {"template_ids": [sandbox_wechat]}, format="json")
    quota = SubscriptionQuota.objects.get(user=resident, template_id=sandbox_wechat)
    assert (quota.remaining, quota.accepted_total) == (2, 2)


def test_it_lists_the_subscribable_templates_with_my_quota(me, resident, sandbox_wechat):
    give_quota(resident, sandbox_wechat, remaining=2)
    listed = {s["kind"]: s for s in me.get(f"{URL}subscriptions/").json()}
    assert listed["work_order"] == {
        "kind": "work_order",
        "label": "报修与投诉进度",
        "template_id": sandbox_wechat,
        "remaining": 2,
    }
    assert listed["events"]["remaining"] == 0
    assert "devices" not in listed  # SMS only


@pytest.mark.parametrize("body", [{"template_ids": ["TPL-made-up"]}, {"template_ids": []}, {"template_ids": "x"}, {}])
def test_it_refuses_unknown_or_missing_templates(me, body, sandbox_wechat):
    response = me.post(f"{URL}subscriptions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert not SubscriptionQuota.objects.exists()


def test_it_uses_the_configured_template_ids(me, settings):
    settings.LINLI_SANDBOX = False
    settings.WECHAT_SUBSCRIBE_TEMPLATES = {"work_order": "TPL-WO", "health": "TPL-HEALTH"}
    listed = {s["kind"]: s["template_id"] for s in me.get(f"{URL}subscriptions/").json()}
    # health.vitals.abnormal shares its parent's template; topics without a template are not offered
    assert listed == {"work_order": "TPL-WO", "health": "TPL-HEALTH", "health.vitals.abnormal": "TPL-HEALTH"}
    assert me.post(f"{URL}subscriptions/", {"template_ids": ["TPL-HEALTH"]}, format="json").status_code == 200
