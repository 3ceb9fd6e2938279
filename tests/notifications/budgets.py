"""Quality-gate registrations for the notification endpoints (see tests/quality/registry.py)."""

from linli.notifications.models import Delivery, NotificationPreference
from tests.notifications.factories import give_quota, make_notification


def make_notifications(persona, n):
    for i in range(n):
        make_notification(persona.user, title=f"消息 {i}", read_at=None)


def nothing(persona):
    return {}


def give_notifications(user):
    notification = make_notification(user, title="张大爷的血压偏高提醒", body="收缩压 165，请复测")
    Delivery.objects.create(
        notification=notification,
        recipient=user,
        channel="sms",
        status=Delivery.Status.SENT,
        address="13912345678",
        template_id="SMS_LINLI_HEALTH_ALERT",
    )
    NotificationPreference.objects.create(user=user, kind="events", enabled=False)
    give_quota(user, "TPL-privacy-test", remaining=2)
    return ["张大爷的血压偏高提醒", "收缩压 165，请复测", "13912345678", "TPL-privacy-test"]


LIST_DATA = {"/api/v1/notifications/": ("resident", make_notifications)}
DETAIL_BUDGETS = {
    # 1 token user, 1 COUNT of unread
    "/api/v1/notifications/unread-count/": ("resident", nothing, 2),
    # 1 token user, 1 muted topics
    "/api/v1/notifications/preferences/": ("resident", nothing, 2),
    # 1 token user, 1 quotas
    "/api/v1/notifications/subscriptions/": ("resident", nothing, 2),
}
PRIVACY_DATA = {"notifications": give_notifications}
# 1 notifications, 1 their deliveries (prefetched), 1 muted topics, 1 subscription quotas
EXPORT_QUERIES = {"notifications": 4}
