"""How a device signs a request — the one definition both the gateway and the reference client use.

Every request to /api/v1/devices/… carries four headers:

    X-Device-Id   the device code, e.g. "mill-baiyun-01"
    X-Timestamp   Unix time in whole seconds when the request was signed (within ±5 minutes of ours)
    X-Nonce       16–64 characters of [A-Za-z0-9_-], never used twice by this device
    X-Signature   lowercase hex HMAC-SHA256(key = the device secret as UTF-8, message = canonical string)

The canonical string is five lines joined by "\\n" (no trailing newline):

    POST                                   the method, upper case
    /api/v1/devices/commands/?page=2       the path as sent (percent-encoded), with "?" and the query
                                           string exactly as sent when there is one
    1767225600                             X-Timestamp
    4f1c0a9e8b7d6c5e4f3a2b1c0d9e8f7a       X-Nonce
    e3b0c44298fc1c149afbf4c8996fb924…      lowercase hex SHA-256 of the raw body bytes (of b"" when none)

Send the body bytes you hashed, unchanged (sign after serialising the JSON, not before).
"""

import hashlib
import hmac
import re

DEVICE_ID = "X-Device-Id"
TIMESTAMP = "X-Timestamp"
NONCE = "X-Nonce"
SIGNATURE = "X-Signature"
HEADERS = (DEVICE_ID, TIMESTAMP, NONCE, SIGNATURE)

NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SIGNATURE_RE = re.compile(r"^[0-9a-f]{64}$")


def body_hash(body: bytes | None) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def canonical_string(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes | None) -> str:
    return "\n".join([method.upper(), path_with_query, timestamp, nonce, body_hash(body)])


def sign(secret: str, method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes | None) -> str:
    message = canonical_string(method, path_with_query, timestamp, nonce, body)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    """Constant-time comparison of two hex signatures."""
    return hmac.compare_digest(expected.encode(), given.encode())
