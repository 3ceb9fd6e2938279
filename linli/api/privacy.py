"""Stored Idempotency-Key answers are copies of a user's responses (orders, payments): personal data too."""

from django.utils import timezone

from linli.api.models import IdempotencyRecord


def _records(user):
    return IdempotencyRecord.objects.filter(principal=f"user:{user.pk}")


def export(user) -> dict:
    # The bodies repeat what the apps that answered export themselves; list the requests only.
    return {
        "idempotent_requests": [
            {"key": record.key, "request": record.scope, "at": timezone.localtime(record.created_at).isoformat()}
            for record in _records(user).order_by("created_at", "id")
        ]
    }


def anonymise(user) -> None:
    # The account can no longer send requests, so no replay will ever need them.
    _records(user).delete()
