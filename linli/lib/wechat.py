"""WeChat mini-program server API client (auth.code2Session for now).

`WeChatClient` talks HTTP to `WECHAT_API_BASE`; `SandboxWeChatClient` stands in for it in the
embedded default. Neither ever logs `session_key` or the app secret.
"""

import logging
import re
from dataclasses import dataclass, field

import requests
from django.conf import settings

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

    def _get(self, path: str, params: dict) -> dict:
        try:
            response = self.http.get(self.api_base + path, params=params, timeout=self.timeout)
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


_SANDBOX_CODE = re.compile(r"^dev-[A-Za-z0-9_-]{1,40}$")


class SandboxWeChatClient:
    """Accepts `dev-<name>` and answers openid `dev-<name>`; anything else is an invalid code."""

    def code_to_session(self, code: str) -> WeChatSession:
        if not _SANDBOX_CODE.match(code):
            raise WeChatError(40029, "invalid code")
        return WeChatSession(openid=code, session_key="sandbox")


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
