"""Open311 client apps: issuing api keys (only their hash is kept) and recognising them."""

import secrets

from django.db import transaction
from django.utils import timezone

from enforcement.models import Open311Client
from enforcement.models.open311 import hash_key


@transaction.atomic
def open311_client_issue(*, name: str, contact: str = "", raw_key: str | None = None) -> tuple[Open311Client, str]:
    """Create a client app with a fresh key (or `raw_key`); the key is returned once and never stored."""
    raw_key = raw_key or f"o311_{secrets.token_urlsafe(24)}"
    client = Open311Client.objects.create(
        name=name, contact=contact, key_hash=hash_key(raw_key), key_prefix=raw_key[:8]
    )
    return client, raw_key


@transaction.atomic
def open311_client_rotate(*, client: Open311Client) -> str:
    raw_key = f"o311_{secrets.token_urlsafe(24)}"
    client.key_hash, client.key_prefix = hash_key(raw_key), raw_key[:8]
    client.save(update_fields=["key_hash", "key_prefix"])
    return raw_key


def open311_client_for(raw_key: str) -> Open311Client | None:
    if not raw_key or len(raw_key) > 200:
        return None
    client = Open311Client.objects.filter(key_hash=hash_key(raw_key), is_active=True).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
