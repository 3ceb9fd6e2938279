"""Personal data and secrets out of text bound for logs and error reports.

    scrub("登录 13812345678 secret=abc Bearer eyJ...")  -> "登录 138****5678 secret=[redacted] Bearer [redacted]"

* mainland mobiles and resident ID numbers: masked as in API output (linli.lib.masking), so the full
  number never appears and a support person can still recognise one they already know;
* bearer tokens and JWTs (access, refresh, device tokens);
* `key=value` / `"key": "value"` pairs whose key names a secret (password, secret, appsecret,
  token, api_key, sign, …) — WeChat puts the app secret in the query string of its calls;
* PEM private keys;
* the configured values of the secret settings (SECRET_KEY, WECHAT_APP_SECRET, WECHATPAY_APIV3_KEY,
  the S3 secret key, … SECRET_SETTINGS below) wherever they appear, whatever surrounds them.

Used by the log formatters (logging.py) on the whole formatted line, exception text included, and by
the Sentry `before_send` (sentry.py) on every string of an event.
"""

import os
import re

from django.conf import settings

from linli.lib.masking import mask_free_text

REDACTED = "[redacted]"

# Settings whose values are secrets; their literal values are removed from any text.
SECRET_SETTINGS = (
    "SECRET_KEY",
    "WECHAT_APP_SECRET",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_PRIVATE_KEY",
    "DEVICE_SECRET_KEY",
    "METRICS_TOKEN",
    "ENFORCEMENT_PLATFORM_SECRET",
    "SENTRY_DSN",
)

_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL)
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_SECRET_PAIR = re.compile(
    r"""(?ix)
    (\b[\w-]*(?:password|passwd|pwd|secret|appsecret|api[_-]?key|apikey|access[_-]?key|token|
        authorization|signature|sign|private[_-]?key|session[_-]?key|dsn)\b)   # the key
    (["']?\s*[:=]\s*["']?)                                                        # = or ": "
    (?!\[redacted\])([^\s"'&,;)}\]]+)                                           # the value
    """
)


_SECRET_NAME = re.compile(
    r"(?i)(password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|token|authorization|cookie|signature|"
    r"^sign$|private[_-]?key|session[_-]?key|dsn)"
)


def is_secret_name(name: str) -> bool:
    """Whether a field or header called `name` holds a secret (its value is dropped whatever it is)."""
    return bool(_SECRET_NAME.search(str(name)))


def _secret_values() -> list[str]:
    values = []
    # A setting, or the environment variable of that name for an app that reads it there (enforcement).
    raw = [getattr(settings, name, "") or os.environ.get(name, "") for name in SECRET_SETTINGS]
    raw.append(settings.STORAGES.get("default", {}).get("OPTIONS", {}).get("secret_key") or "")  # S3
    for setting in raw:
        for value in str(setting).split(","):
            # Short values would redact ordinary words; real secrets are long.
            if len(value.strip()) >= 8:
                values.append(value.strip())
    return values


def scrub(text: str) -> str:
    """`text` without personal identifiers and secrets (see the module docstring)."""
    if not text:
        return text
    for value in _secret_values():
        if value in text:
            text = text.replace(value, REDACTED)
    text = _PEM.sub(REDACTED, text)
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return mask_free_text(text)
