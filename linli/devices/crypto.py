"""Device secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`), never plain text.

The key comes from settings.DEVICE_SECRET_KEY — any string; several, comma-separated, while rotating
it (the first encrypts, every one decrypts: re-encrypt with `device_secret_rotate` or by re-saving).
Unset, it is derived from SECRET_KEY, so changing SECRET_KEY then makes every device secret
unreadable: production should set DEVICE_SECRET_KEY on its own.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

SECRET_BYTES = 32


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key we no longer have."""


def new_secret() -> str:
    """A fresh device secret: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def _fernet_key(material: str) -> bytes:
    # Fernet wants 32 url-safe-base64 bytes; any configured string is stretched with a labelled SHA-256.
    return base64.urlsafe_b64encode(hashlib.sha256(b"linli.devices.secret:" + material.encode()).digest())


def _fernet() -> MultiFernet:
    configured = getattr(settings, "DEVICE_SECRET_KEY", "") or ""
    keys = [k.strip() for k in configured.split(",") if k.strip()] or [settings.SECRET_KEY]
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("device secret cannot be decrypted with the configured DEVICE_SECRET_KEY") from None
