"""A local stand-in for api.weixin.qq.com (login, access tokens, subscribe messages)."""

from contextlib import contextmanager

from tests.support.stub_server import StubServer


@contextmanager
def wechat_api(settings, *, app_id: str = "wx-test-app", secret: str = "test-secret-value", **extra):
    """The real WeChat client pointed at a fresh stub server (sandbox off); `extra` are more settings."""
    with StubServer() as stub:
        settings.WECHAT_APP_ID = app_id
        settings.WECHAT_APP_SECRET = secret
        settings.WECHAT_API_BASE = stub.url
        settings.LINLI_SANDBOX = False
        for name, value in extra.items():
            setattr(settings, name, value)
        yield stub
