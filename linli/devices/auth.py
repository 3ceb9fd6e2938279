"""HMAC request signing for the device API (/api/v1/devices/…). The scheme is in linli/devices/signing.py.

Checks, in this order, each a 401 with the error envelope:

    headers present and well-formed     invalid_signature   (X-Nonce/X-Signature malformed or missing)
    |X-Timestamp − now| ≤ 5 minutes     stale_timestamp
    X-Device-Id names a device          unknown_device      (also: no secret issued yet)
    the device is not disabled          device_disabled
    X-Signature matches                 invalid_signature   (constant-time comparison)
    X-Nonce not seen before             replayed_nonce      (kept in the cache: Redis in production)

The nonce is remembered only once the signature is valid (an attacker cannot burn a device's
nonces), with `cache.add`, which is atomic: of two identical requests racing, one wins.
A request without X-Device-Id is simply not a device request (401 not_authenticated from the view).
"""

import logging
import re

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from linli.api.errors import DomainError, PayloadTooLarge
from linli.devices import conf, signing
from linli.devices.crypto import SecretUnreadable, decrypt_secret
from linli.devices.models import Device

logger = logging.getLogger(__name__)

TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")
CODE_RE = re.compile(rf"^[-a-zA-Z0-9_]{{1,{Device._meta.get_field('code').max_length}}}$")  # a SlugField


class DeviceAuthError(DomainError, exceptions.AuthenticationFailed):
    """A rejected device signature: a DomainError (so the envelope carries our code) that DRF also
    treats as an authentication failure (401 with WWW-Authenticate, request marked unauthenticated)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    code = "invalid_signature"
    default_message = "设备签名无效"

    def __init__(self, message: str | None = None, *, code: str | None = None):
        DomainError.__init__(self, message, code=code)
        self.detail = self.message

    @property
    def headers(self):
        auth_header = getattr(self, "auth_header", None)
        return {"WWW-Authenticate": auth_header} if auth_header else None


def nonce_cache_key(device: Device, nonce: str) -> str:
    return f"devices:nonce:{device.pk}:{nonce}"


class DeviceSignatureAuthentication(BaseAuthentication):
    """Authenticates a signed device request; sets `request.device` (also on the Django request)."""

    www_authenticate = 'HMAC-SHA256 realm="linli-devices"'

    def authenticate_header(self, request):
        return self.www_authenticate

    def authenticate(self, request):
        headers = request.headers
        code = headers.get(signing.DEVICE_ID)
        if code is None:
            return None
        timestamp, nonce, given = (headers.get(h) for h in signing.HEADERS[1:])
        missing = [h for h, value in zip(signing.HEADERS[1:], (timestamp, nonce, given), strict=True) if not value]
        if missing:
            raise DeviceAuthError(f"缺少签名请求头：{'、'.join(missing)}")
        if not signing.NONCE_RE.fullmatch(nonce):
            raise DeviceAuthError("X-Nonce 须为 16–64 位字母、数字、- 或 _")
        given = given.strip().lower()
        if not signing.SIGNATURE_RE.fullmatch(given):
            raise DeviceAuthError("X-Signature 须为 64 位十六进制 HMAC-SHA256")
        if not TIMESTAMP_RE.fullmatch(timestamp):
            raise DeviceAuthError("X-Timestamp 须为 Unix 时间戳（秒）", code="stale_timestamp")
        skew = abs(timezone.now().timestamp() - int(timestamp))
        if skew > conf.max_skew().total_seconds():
            raise DeviceAuthError("请求时间与服务器相差超过 5 分钟，请校准设备时钟", code="stale_timestamp")

        device = Device.objects.filter(code=code).first() if CODE_RE.fullmatch(code) else None
        if device is None or not device.secret_encrypted:
            raise DeviceAuthError("设备未登记或尚未签发密钥", code="unknown_device")
        if device.status == Device.Status.DISABLED:
            raise DeviceAuthError("设备已停用", code="device_disabled")
        try:
            secret = decrypt_secret(device.secret_encrypted)
        except SecretUnreadable:
            logger.error("device %s: stored secret unreadable (DEVICE_SECRET_KEY changed?)", device.code)
            raise DeviceAuthError("设备密钥无法读取，请重新签发", code="unknown_device") from None

        try:
            body = request.body
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        expected = signing.sign(secret, request.method, request._request.get_full_path(), timestamp, nonce, body)
        if not signing.signatures_match(expected, given):
            raise DeviceAuthError("签名校验失败")
        if not cache.add(nonce_cache_key(device, nonce), 1, timeout=conf.nonce_ttl_seconds()):
            raise DeviceAuthError("该请求已被处理过（X-Nonce 重复）", code="replayed_nonce")

        request.device = device
        request._request.device = device
        return AnonymousUser(), device


class IsDevice(permissions.BasePermission):
    """Only a request signed by a device (see DeviceSignatureAuthentication)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, Device)


class DeviceRateThrottle(SimpleRateThrottle):
    """Per device, not per IP: many devices of one community may share a NAT address."""

    scope = "device"
    default_rate = "600/min"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope, self.default_rate)

    def get_cache_key(self, request, view):
        device = getattr(request, "device", None)
        if device is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": device.pk}


class DeviceSignatureScheme(OpenApiAuthenticationExtension):
    """Shows the four signature headers in /api/docs/ (all four are required together)."""

    target_class = DeviceSignatureAuthentication
    name = ["deviceId", "deviceTimestamp", "deviceNonce", "deviceSignature"]

    def get_security_definition(self, auto_schema):
        described = {
            signing.DEVICE_ID: "设备编号 (device code)",
            signing.TIMESTAMP: "Unix seconds when signed; ±5 minutes of server time",
            signing.NONCE: "16–64 chars [A-Za-z0-9_-], never reused",
            signing.SIGNATURE: (
                "hex HMAC-SHA256(device secret, METHOD\\nPATH?QUERY\\nX-Timestamp\\nX-Nonce\\nhex SHA-256(body)); "
                "see linli/devices/signing.py and the reference client linli/devices/client.py"
            ),
        }
        return [{"type": "apiKey", "in": "header", "name": h, "description": d} for h, d in described.items()]
