"""`notify()`: the one way any app tells people something.

It records inbox rows in bulk and enqueues channel delivery only after the surrounding
transaction commits, so a rolled-back transaction tells nobody anything.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from linli.notifications.models import Notification

CHUNK_SIZE = 500


def _recipient_ids(recipients) -> list[int]:
    if isinstance(recipients, QuerySet):
        return list(recipients.values_list("pk", flat=True))
    ids = []
    for r in recipients if isinstance(recipients, Iterable) else [recipients]:
        ids.append(r if isinstance(r, int) else r.pk)
    return list(dict.fromkeys(ids))


def notify(
    recipients,
    kind: str,
    title: str,
    body: str,
    *,
    link: str | None = None,
    data: dict | None = None,
    channels: list[str] | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Notify users (a user, ids, an iterable or a QuerySet). Returns how many new inbox rows were written.

    `dedupe_key` makes the call idempotent per recipient: a second call with the same key adds nothing.
    """
    ids = _recipient_ids(recipients)
    if not ids:
        return 0
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            title=title[:100],
            body=body,
            link=link or "",
            data=data or {},
            dedupe_key=dedupe_key or "",
        )
        for user_id in ids
    ]
    with transaction.atomic():
        if dedupe_key:
            existing = set(
                Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).values_list(
                    "recipient_id", flat=True
                )
            )
            rows = [row for row in rows if row.recipient_id not in existing]
        Notification.objects.bulk_create(rows, batch_size=CHUNK_SIZE, ignore_conflicts=bool(dedupe_key))
    return len(rows)
