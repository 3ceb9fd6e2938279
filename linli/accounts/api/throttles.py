"""Hourly limits on phone-change codes: per user, and per phone number whoever asks.

The rates are settings of linli.accounts (`conf.py`), unless the REST_FRAMEWORK throttle rates name
the scope. A number's counter is keyed by its hash, so the cache holds no phone numbers.
"""

import hashlib
from collections.abc import Callable

from rest_framework.throttling import SimpleRateThrottle

from linli.accounts import conf


class _ConfRateThrottle(SimpleRateThrottle):
    conf_rate: Callable[[], str]  # the rate from linli.accounts.conf when the settings do not name the scope

    def get_rate(self):
        if self.scope in self.THROTTLE_RATES:  # None there turns the limit off, as for DRF's scopes
            return self.THROTTLE_RATES[self.scope]
        return self.conf_rate()


class PhoneCodeUserThrottle(_ConfRateThrottle):
    scope = "phone_code_user"
    conf_rate = staticmethod(conf.phone_code_rate_per_user)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PhoneCodePhoneThrottle(_ConfRateThrottle):
    scope = "phone_code_phone"
    conf_rate = staticmethod(conf.phone_code_rate_per_phone)

    def get_cache_key(self, request, view):
        phone = request.data.get("phone") if isinstance(request.data, dict) else None
        if not isinstance(phone, str) or not phone.strip():
            return None  # nothing to count: the body is refused anyway
        digest = hashlib.sha256(phone.strip().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}
