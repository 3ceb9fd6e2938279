import logging
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from linli.accounts import conf, names
from linli.accounts.models import PhoneCode, User
from linli.api.errors import DomainError, ServiceUnavailable, TooManyRequests, UpstreamError, field_error
from linli.lib import wechat
from linli.lib.masking import mask_phone
from linli.notifications import sms
from linli.uploads.selectors import NOT_YOURS

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
    """Change what a user may change about themselves. The phone number is not among them:
    it changes only with a code sent to it (`user_phone_change`)."""
    allowed = {"display_name", "avatar", "birth_date"}
    fields = []
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"not a profile field: {name}")
        if name == "display_name":
            try:
                value = names.display_name_clean(value)
            except ValidationError as error:
                raise field_error("display_name", error.messages[0]) from None
        if name == "avatar" and value is not None and value.owner_id != user.pk:
            raise field_error("avatar", NOT_YOURS)
        setattr(user, name, value)
        fields.append(name)
    if fields:
        user.save(update_fields=fields)
    return user


# --- Changing the phone number: a code sent by SMS proves the number -----------------------------

PHONE_CODE_REFUSED = "验证码错误或已失效"


@dataclass(frozen=True)
class PhoneCodeSent:
    expires_in: int
    resend_in: int


def _phone_code_hash(*, user_id: int, phone: str, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table alone does not give away a million-guess code.
    return salted_hmac("linli.accounts.PhoneCode", f"{user_id}:{phone}:{code}", algorithm="sha256").hexdigest()


def phone_code_send(*, user: User, phone: str) -> PhoneCodeSent:
    """Send a fresh 6-digit code to `phone` for `user`, replacing any earlier one.

    It answers the same whether or not another account holds the number: that is only found out,
    and refused like a wrong code, when the code is used. One request per `PHONE_CODE_RESEND_SECONDS`
    per user (429 with Retry-After); the API adds hourly limits per user and per number.
    """
    backend = sms.get_backend()
    if backend is None:
        raise ServiceUnavailable("短信服务未配置，暂不能更换手机号", code="sms_not_configured")
    now = timezone.now()
    ttl, resend = conf.phone_code_ttl_seconds(), conf.phone_code_resend_seconds()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # The user's row lock makes two simultaneous requests take turns at the resend interval.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
        pending = PhoneCode.objects.filter(user=user).first()
        if pending is not None:
            wait = math.ceil((pending.sent_at + timedelta(seconds=resend) - now).total_seconds())
            if wait > 0:
                error = TooManyRequests(f"验证码已发送，请 {wait} 秒后再试")
                error.headers = {"Retry-After": str(wait)}
                raise error
        PhoneCode.objects.update_or_create(
            user=user,
            defaults={
                "phone": phone,
                "code_hash": _phone_code_hash(user_id=user.pk, phone=phone, code=code),
                "sent_at": now,
                "expires_at": now + timedelta(seconds=ttl),
                "failed_attempts": 0,
            },
        )
        try:
            backend.send(phone=phone, template=conf.phone_code_sms_template(), params={"code": code})
        except sms.SmsError as exc:
            # Nothing was sent: the code goes again, so the user may ask at once.
            logger.warning("phone code SMS to %s failed: %s", mask_phone(phone), exc)
            raise UpstreamError("短信发送失败，请稍后重试") from None
    if settings.LINLI_SANDBOX and isinstance(backend, sms.ConsoleSmsBackend):
        # The sandbox sends nothing; testers read the code here (docs/demo.md). Never with a real provider.
        logger.info("sandbox phone code for user %s, %s: %s", user.pk, mask_phone(phone), code)
    return PhoneCodeSent(expires_in=ttl, resend_in=resend)


def _phone_code_use(*, user: User, phone: str, code: str) -> bool:
    """Check the code under its row lock; a wrong one counts (and is committed) before the answer."""
    now = timezone.now()
    with transaction.atomic():
        pending = PhoneCode.objects.select_for_update().filter(user=user).first()
        if pending is None or pending.expires_at <= now or pending.failed_attempts >= conf.phone_code_max_attempts():
            return False
        expected = _phone_code_hash(user_id=user.pk, phone=phone, code=code)
        if pending.phone != phone or not constant_time_compare(pending.code_hash, expected):
            pending.failed_attempts += 1
            pending.save(update_fields=["failed_attempts"])
            return False
        pending.delete()  # used: it never works twice, whatever happens next
        if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            return False
        user.phone = phone
        try:
            with transaction.atomic():
                user.save(update_fields=["phone"])
        except IntegrityError:  # someone else took the number a moment ago
            user.refresh_from_db(fields=["phone"])
            return False
    return True


def user_phone_change(*, user: User, phone: str, code: str) -> User:
    """Make `phone` the user's number, given the code `phone_code_send` sent to it.

    Every refusal is the same 400, on `code`: a wrong, expired, used-up or missing code, a code for
    another number, and a number another account holds — so nobody learns who has a number. Not
    wrapped in the caller's transaction on purpose: a wrong try must stay counted when it is refused.
    """
    if not _phone_code_use(user=user, phone=phone, code=code):
        raise field_error("code", PHONE_CODE_REFUSED)
    return user


def user_sign_out_everywhere(*, user: User) -> None:
    """Every access and refresh token of `user` stops working (a lost phone, a staff member leaving)."""
    user.revoke_tokens()
