"""SMS behind one small interface, so the provider is a setting.

    backend = get_backend()          # None: SMS is not configured, the channel is skipped
    ref = backend.send(phone="13812345678", template="SMS_LINLI_NOTICE", params={"title": …, "body": …})

`SMS_BACKEND` (env) names the backend: `console` (the sandbox default: logs the message with the
number masked and sends nothing) or a dotted path to a class with the same `send()`. In mainland
China an SMS goes out only through a provider's pre-approved signature and template, so each topic
names its template code (`sms_template` in linli/notifications/conf.py); a provider backend
(Aliyun SMS `SendSms`, Tencent Cloud SMS `SendSms`) maps `params` onto the template's variables and
raises `SmsError(transient=True)` for throttling, timeouts and 5xx, `transient=False` for a bad
number or template, like WeChat errors are classified.
"""

import itertools
import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from linli.lib.masking import mask_phone

logger = logging.getLogger(__name__)


class SmsError(Exception):
    def __init__(self, code: str, message: str, *, transient: bool):
        self.code = code
        self.message = message
        self.transient = transient
        super().__init__(f"SMS {code}: {message}")


class SmsBackend(Protocol):
    def send(self, *, phone: str, template: str, params: dict) -> str:
        """Send one templated message; return the provider's message id. Raise SmsError on failure."""


class ConsoleSmsBackend:
    """Sandbox: writes the message to the log (number masked) instead of sending it."""

    _refs = itertools.count(1)

    def send(self, *, phone: str, template: str, params: dict) -> str:
        ref = f"console-{next(self._refs)}"
        logger.info("console SMS to %s template=%s ref=%s: %s", mask_phone(phone), template, ref, params.get("title"))
        return ref


BACKENDS = {"console": ConsoleSmsBackend}


def get_backend() -> SmsBackend | None:
    name = getattr(settings, "SMS_BACKEND", "") or ""
    if not name:
        return None
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()
