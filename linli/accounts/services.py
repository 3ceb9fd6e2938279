import logging

from django.db import IntegrityError, transaction

from linli.accounts.models import User
from linli.api.errors import DomainError, ServiceUnavailable, TooManyRequests, UpstreamError
from linli.lib import wechat

logger = logging.getLogger(__name__)

# WeChat errcodes that mean "this code is no good" rather than "WeChat is down".
_BAD_CODE_ERRCODES = {40029: "微信登录凭证无效", 40163: "微信登录凭证已被使用", 40226: "该微信用户存在风险，暂不能登录"}


class InvalidWeChatCode(DomainError):
    code = "invalid_wechat_code"
    default_message = "微信登录凭证无效"


def user_login_with_wechat(*, code: str) -> tuple[User, bool]:
    """Exchange a mini-program login `code` for our user, creating the user on first login."""
    client = wechat.get_client()
    if client is None:
        raise ServiceUnavailable("微信登录未配置", code="wechat_not_configured")
    try:
        session = client.code_to_session(code)
    except wechat.WeChatError as exc:
        if exc.errcode in _BAD_CODE_ERRCODES:
            raise InvalidWeChatCode(_BAD_CODE_ERRCODES[exc.errcode]) from None
        if exc.errcode == 45011:
            raise TooManyRequests("微信登录过于频繁，请稍后再试") from None
        if exc.transient:
            raise UpstreamError("微信服务暂时不可用，请稍后重试") from None
        raise UpstreamError(f"微信登录失败（{exc.errcode}）") from None

    try:
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                wechat_openid=session.openid,
                defaults={"username": f"wx_{session.openid}"[:150], "wechat_unionid": session.unionid},
            )
    except IntegrityError:
        # Two first logins of the same person raced; the other one created the user.
        user, created = User.objects.get(wechat_openid=session.openid), False
    if session.unionid and user.wechat_unionid != session.unionid:
        user.wechat_unionid = session.unionid
        user.save(update_fields=["wechat_unionid"])
    if not user.is_active:
        raise DomainError("该账号已停用", code="account_disabled")
    return user, created


@transaction.atomic
def user_update_profile(*, user: User, **changes) -> User:
    allowed = {"display_name", "avatar_url", "phone", "birth_date"}
    fields = []
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"not a profile field: {name}")
        setattr(user, name, value)
        fields.append(name)
    if fields:
        try:
            with transaction.atomic():
                user.save(update_fields=fields)
        except IntegrityError:
            raise DomainError(
                "该手机号已被其他账号使用", code="validation_error", fields={"phone": ["该手机号已被其他账号使用"]}
            ) from None
    return user


def user_sign_out_everywhere(*, user: User) -> None:
    """Every access and refresh token of `user` stops working (a lost phone, a staff member leaving)."""
    user.revoke_tokens()
