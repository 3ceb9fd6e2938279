"""A user's inbox is personal data: exported in full, deleted on erasure (nothing else relies on it)."""

from django.utils import timezone

from linli.notifications.models import Notification


def export(user) -> dict:
    return {
        "inbox": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "read_at": timezone.localtime(n.read_at).isoformat() if n.read_at else None,
                "created_at": timezone.localtime(n.created_at).isoformat(),
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "id")
        ]
    }


def anonymise(user) -> None:
    Notification.objects.filter(recipient=user).delete()
