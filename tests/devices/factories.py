"""Devices with real secrets, and API clients that sign like a device (the reference client's signing)."""

import itertools
from urllib.parse import urlsplit

from django.utils.encoding import force_bytes
from rest_framework.test import APIClient

from linli.devices.client import DeviceClient
from linli.devices.models import Device
from linli.devices.services import device_create

_seq = itertools.count(1)


def make_device(community=None, **kw) -> tuple[Device, str]:
    """A registered device with a secret: (device, secret)."""
    n = next(_seq)
    defaults = {"kind": Device.Kind.HEALTH_KIOSK, "code": f"test-device-{n}", "name": f"测试终端{n}"}
    return device_create(community=community, **{**defaults, **kw})


def signed_headers(code: str, secret: str, method: str, path: str, body: bytes = b"", **over) -> dict:
    """The four signature headers, as Django test-client META keys."""
    headers = DeviceClient("http://testserver", code, secret).signed_headers(method, path, body, **over)
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


class SignedClient(APIClient):
    """An in-process APIClient that signs every request as `code` with `secret`.

    `sign_as` overrides the timestamp or nonce of the next requests (clock skew, replays).
    """

    def __init__(self, code: str, secret: str, **kw):
        super().__init__(**kw)
        self.code, self.secret, self.sign_as = code, secret, {}

    def generic(self, method, path, data="", content_type="application/octet-stream", secure=False, **extra):
        body = force_bytes(data)
        parsed = urlsplit(str(path))
        query = extra.get("QUERY_STRING", parsed.query)
        full_path = parsed.path + (f"?{query}" if query else "")
        extra.update(signed_headers(self.code, self.secret, method, full_path, body, **self.sign_as))
        return super().generic(method, path, data, content_type, secure, **extra)


def client_for_device(device: Device, secret: str) -> SignedClient:
    return SignedClient(device.code, secret)
