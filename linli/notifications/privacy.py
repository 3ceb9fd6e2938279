"""A user's inbox, pushes, preferences and subscription quotas: all exported; all deleted on erasure
(nobody else relies on them, and message bodies may name the person)."""

from django.db.models import Prefetch
from django.utils import timezone

from linli.notifications.models import Delivery, Notification, NotificationPreference, SubscriptionQuota


def _at(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    notifications = (
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "id")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("channel")))
    )
    return {
        "inbox": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "created_at": _at(n.created_at),
                "read_at": _at(n.read_at),
                "pushes": [
                    {"channel": d.channel, "status": d.status, "address": d.address, "sent_at": _at(d.sent_at)}
                    for d in n.deliveries.all()
                ],
            }
            for n in notifications
        ],
        "muted_kinds": list(
            NotificationPreference.objects.filter(user=user, enabled=False)
            .order_by("kind")
            .values_list("kind", flat=True)
        ),
        "wechat_subscriptions": [
            {"template_id": q.template_id, "remaining": q.remaining, "accepted_total": q.accepted_total}
            for q in SubscriptionQuota.objects.filter(user=user).order_by("template_id")
        ],
    }


def anonymise(user) -> None:
    Notification.objects.filter(recipient=user).delete()  # deliveries go with them
    Delivery.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    SubscriptionQuota.objects.filter(user=user).delete()
