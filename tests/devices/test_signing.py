"""The signature scheme, pinned by a vector computed here from first principles (not by our code)."""

import hashlib
import hmac

from linli.devices import signing
from linli.devices.client import DeviceClient


def test_it_signs_the_documented_canonical_string():
    body = b'{"status":"done"}'
    canonical = "\n".join(
        [
            "POST",
            "/api/v1/devices/commands/7/ack/?x=1",
            "1767225600",
            "abcdefghijklmnop",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    expected = hmac.new(b"s3cret", canonical.encode(), hashlib.sha256).hexdigest()

    got = signing.sign("s3cret", "post", "/api/v1/devices/commands/7/ack/?x=1", "1767225600", "abcdefghijklmnop", body)

    assert got == expected


def test_it_hashes_an_empty_body_as_the_sha256_of_nothing():
    assert signing.body_hash(b"") == signing.body_hash(None) == hashlib.sha256(b"").hexdigest()


def test_it_gives_the_client_a_fresh_nonce_for_every_request():
    client = DeviceClient("http://testserver", "dev-1", "s3cret", clock=lambda: 1767225600.9)
    first = client.signed_headers("GET", "/api/v1/devices/commands/", b"")
    second = client.signed_headers("GET", "/api/v1/devices/commands/", b"")

    assert first["X-Timestamp"] == "1767225600"
    assert first["X-Nonce"] != second["X-Nonce"]
    assert signing.NONCE_RE.match(first["X-Nonce"])
    assert first["X-Signature"] != second["X-Signature"]


def test_it_compares_signatures_exactly():
    assert signing.signatures_match("ab" * 32, "ab" * 32)
    assert not signing.signatures_match("ab" * 32, "ab" * 31 + "ac")
