"""Reads of a user's notifications, preferences and subscription quotas."""

from django.db.models import QuerySet

from linli.notifications import conf
from linli.notifications.models import Notification, NotificationPreference, SubscriptionQuota


def inbox_of(user) -> QuerySet[Notification]:
    """The user's inbox, newest first (served by notification_inbox_idx)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def preferences_of(user) -> dict:
    """{"muted": [topic keys], "kinds": [{kind, label, essential, channels, enabled}]}: topics that push."""
    muted = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    kinds = []
    for topic in sorted(conf.topics().values(), key=lambda t: t.key):
        if not topic.channels:
            continue  # inbox only: nothing to turn off
        enabled = topic.essential or topic.key not in muted
        kinds.append(
            {
                "kind": topic.key,
                "label": topic.label,
                "essential": topic.essential,
                "channels": list(topic.channels),
                "enabled": enabled,
            }
        )
    return {"muted": sorted(k["kind"] for k in kinds if not k["enabled"]), "kinds": kinds}


def subscriptions_of(user) -> list[dict]:
    """Each subscribable topic with its template id and the user's remaining one-time quota."""
    remaining = dict(SubscriptionQuota.objects.filter(user=user).values_list("template_id", "remaining"))
    return [
        {
            "kind": topic.key,
            "label": topic.label,
            "template_id": topic.wechat_template,
            "remaining": remaining.get(topic.wechat_template, 0),
        }
        for topic in sorted(conf.subscribable_topics(), key=lambda t: t.key)
    ]
