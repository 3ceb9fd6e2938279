import pytest

from tests.support.wechat import wechat_api

TEMPLATE = "TPL-work-order-progress"


@pytest.fixture
def sandbox_wechat(settings):
    """The embedded default: sandbox WeChat client, sandbox template ids (`sandbox-<topic>`)."""
    settings.WECHAT_APP_ID = ""
    settings.LINLI_SANDBOX = True
    settings.WECHAT_SUBSCRIBE_TEMPLATES = {}
    return "sandbox-work_order"


@pytest.fixture
def wechat(settings):
    """The real client against a local stub of api.weixin.qq.com: token and subscribeMessage.send."""
    with wechat_api(
        settings,
        app_id="wx-notify-app",
        secret="notify-secret",
        WECHAT_SUBSCRIBE_TEMPLATES={"work_order": TEMPLATE},
        WECHAT_MINIPROGRAM_STATE="trial",
    ) as stub:
        tokens = iter(f"TOKEN-{n}" for n in range(1, 100))
        stub.route(
            "POST", "/cgi-bin/stable_token", lambda req: (200, {"access_token": next(tokens), "expires_in": 7200})
        )
        stub.route(
            "POST", "/cgi-bin/message/subscribe/send", lambda req: (200, {"errcode": 0, "errmsg": "ok", "msgid": 7})
        )
        yield stub


def sends(stub):
    return [r for r in stub.requests if r.path == "/cgi-bin/message/subscribe/send"]


def token_fetches(stub):
    return [r for r in stub.requests if r.path == "/cgi-bin/stable_token"]
