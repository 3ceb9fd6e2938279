"""WeChat mini-program server API client: auth.code2Session, the access token, subscribeMessage.send.

`WeChatClient` talks HTTP to `WECHAT_API_BASE`; `SandboxWeChatClient` stands in for it in the
embedded default. Neither ever logs `session_key`, the app secret or the access token.

The access token (`cgi-bin/stable_token`) is cached in Django's cache (Redis in production, so all
workers share one token) until shortly before it expires, and refreshed when WeChat answers
errcode 40001/42001/40014 (invalid or expired token). `stable_token` hands every caller the same
token while it is valid, so several workers refreshing at once do not invalidate each other's.
"""

import itertools
import json
import logging
import re
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.cache import cache

from linli.observability.metrics import cache_lookup

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    unionid: str = ""
    # Kept out of repr so it never lands in a log line or a traceback.
    session_key: str = field(default="", repr=False)


class WeChatError(Exception):
    """WeChat answered with a non-zero errcode (errcode -1 and transport failures are `transient`)."""

    def __init__(self, errcode: int, errmsg: str, *, transient: bool = False):
        self.errcode = errcode
        self.errmsg = errmsg
        self.transient = transient
        super().__init__(f"WeChat errcode {errcode}: {errmsg}")


class WeChatClient:
    def __init__(self, *, app_id: str, app_secret: str, api_base: str, timeout: float = 5.0):
        self.app_id = app_id
        self.app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.timeout = min(timeout, 5.0)
        self.http = requests.Session()

    def code_to_session(self, code: str) -> WeChatSession:
        data = self._get(
            "/sns/jscode2session",
            {"appid": self.app_id, "secret": self.app_secret, "js_code": code, "grant_type": "authorization_code"},
        )
        openid = data.get("openid")
        if not openid:
            raise WeChatError(-2, "response without openid", transient=True)
        return WeChatSession(openid=openid, unionid=data.get("unionid", ""), session_key=data.get("session_key", ""))

    def access_token(self, *, force_refresh: bool = False, stale: str = "") -> str:
        """The cached access token; with `force_refresh`, a new one unless another worker already replaced `stale`."""
        key = TOKEN_CACHE_KEY.format(app_id=self.app_id)
        cached = cache.get(key)
        cache_lookup("wechat_access_token", hit=bool(cached))
        if cached and (not force_refresh or cached != stale):
            return cached
        data = self._post(
            "/cgi-bin/stable_token",
            {
                "grant_type": "client_credential",
                "appid": self.app_id,
                "secret": self.app_secret,
                "force_refresh": force_refresh,
            },
        )
        token = data.get("access_token")
        if not token:
            raise WeChatError(-2, "response without access_token", transient=True)
        try:
            expires_in = int(data.get("expires_in") or 7200)
        except (TypeError, ValueError):
            expires_in = 7200
        cache.set(key, token, timeout=max(expires_in - TOKEN_EXPIRY_MARGIN_SECONDS, 60))
        return token

    def send_subscribe_message(
        self,
        *,
        touser: str,
        template_id: str,
        data: dict,
        page: str = "",
        miniprogram_state: str = "formal",
        lang: str = "zh_CN",
    ) -> str:
        """subscribeMessage.send; returns WeChat's msgid. A stale token is refreshed and the send retried once."""
        body = {
            "touser": touser,
            "template_id": template_id,
            "page": page,
            "data": data,
            "miniprogram_state": miniprogram_state,
            "lang": lang,
        }
        token = self.access_token()
        try:
            result = self._post(SUBSCRIBE_SEND_PATH, body, params={"access_token": token})
        except WeChatError as exc:
            if exc.errcode not in TOKEN_INVALID_ERRCODES:
                raise
            logger.info("wechat access token rejected (errcode %s), refreshing", exc.errcode)
            token = self.access_token(force_refresh=True, stale=token)
            result = self._post(SUBSCRIBE_SEND_PATH, body, params={"access_token": token})
        return str(result.get("msgid", ""))

    def _get(self, path: str, params: dict) -> dict:
        return self._call("GET", path, params=params)

    def _post(self, path: str, body: dict, params: dict | None = None) -> dict:
        # UTF-8 as is: some WeChat endpoints show \\uXXXX escapes literally.
        data = json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return self._call("POST", path, params=params, data=data, headers=headers)

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = self.http.request(method, self.api_base + path, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            logger.warning("wechat %s timed out after %ss", path, self.timeout)
            raise WeChatError(-1, "timeout", transient=True) from None
        except requests.RequestException as exc:
            logger.warning("wechat %s unreachable: %s", path, type(exc).__name__)
            raise WeChatError(-1, "unreachable", transient=True) from None
        if response.status_code != 200:
            logger.warning("wechat %s answered HTTP %s", path, response.status_code)
            raise WeChatError(-1, f"HTTP {response.status_code}", transient=True)
        try:
            data = response.json()
        except ValueError:
            raise WeChatError(-1, "invalid JSON", transient=True) from None
        errcode = data.get("errcode", 0) or 0
        if errcode != 0:
            logger.info("wechat %s errcode %s", path, errcode)
            raise WeChatError(errcode, str(data.get("errmsg", "")), transient=errcode == -1)
        return data


TOKEN_CACHE_KEY = "wechat:access_token:{app_id}"
TOKEN_EXPIRY_MARGIN_SECONDS = 300
TOKEN_INVALID_ERRCODES = {40001, 40014, 42001}
SUBSCRIBE_SEND_PATH = "/cgi-bin/message/subscribe/send"

_SANDBOX_CODE = re.compile(r"^dev-[A-Za-z0-9_-]{1,40}$")


class SandboxWeChatClient:
    """Accepts `dev-<name>` and answers openid `dev-<name>`; anything else is an invalid code."""

    def code_to_session(self, code: str) -> WeChatSession:
        if not _SANDBOX_CODE.match(code):
            raise WeChatError(40029, "invalid code")
        return WeChatSession(openid=code, session_key="sandbox")

    _msgids = itertools.count(1)

    def access_token(self, *, force_refresh: bool = False, stale: str = "") -> str:
        return "sandbox-access-token"

    def send_subscribe_message(
        self,
        *,
        touser: str,
        template_id: str,
        data: dict,
        page: str = "",
        miniprogram_state: str = "formal",
        lang: str = "zh_CN",
    ) -> str:
        """Sends nothing and answers a sandbox msgid; the caller keeps what would have gone (Delivery.payload)."""
        msgid = f"sandbox-{next(self._msgids)}"
        logger.info("sandbox subscribeMessage.send template=%s page=%s msgid=%s", template_id, page, msgid)
        return msgid


def get_client():
    if settings.WECHAT_APP_ID:
        return WeChatClient(
            app_id=settings.WECHAT_APP_ID,
            app_secret=settings.WECHAT_APP_SECRET,
            api_base=settings.WECHAT_API_BASE,
            timeout=settings.WECHAT_TIMEOUT_SECONDS,
        )
    if settings.LINLI_SANDBOX:
        return SandboxWeChatClient()
    return None
