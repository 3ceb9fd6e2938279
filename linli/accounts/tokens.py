"""Revocable JWTs.

Every token carries the user's `ver` (`User.token_version`): a password change, deactivation,
account deletion or "sign out everywhere" bumps the version and every earlier access and refresh
token stops working — checked in the same user load that authenticates the request (no extra query).

Refresh tokens rotate: each refresh spends the token (simplejwt's blacklist, one row per token,
unique, so two concurrent uses of the same token cannot both win) and returns a new one in the
same `fam` (family). A spent token presented again means two parties hold the chain: the whole
family is revoked, so the thief's fresh token dies too. Logging out revokes the family.
Tokens minted before these claims existed count as version 0 and their own family.
"""

from django.db import IntegrityError, transaction
from rest_framework_simplejwt.authentication import JWTAuthentication as BaseJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken as BaseRefreshToken
from rest_framework_simplejwt.tokens import UntypedToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from linli.accounts.models import RevokedTokenFamily, User

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"


class RefreshToken(BaseRefreshToken):
    """simplejwt's refresh token with our claims; `RefreshToken.for_user(user).access_token` is the
    way to mint tokens anywhere (login, tests, the benchmark)."""

    @classmethod
    def for_user(cls, user: User) -> "RefreshToken":
        token = super().for_user(user)
        token[VERSION_CLAIM] = user.token_version
        token[FAMILY_CLAIM] = token[api_settings.JTI_CLAIM]
        return token


def tokens_for(user: User) -> dict[str, str]:
    """A new session: an access token and the first refresh token of a new family."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


# What a request needs of its user; any other column (the password hash, names, e-mail, dates) is read
# on demand, which only the few requests that use one pay for. token_version is here: the revocation
# check is part of this one query.
REQUEST_USER_COLUMNS = (
    "id",
    "username",
    "display_name",
    "avatar",
    "phone",
    "birth_date",
    "wechat_openid",
    "is_active",
    "is_staff",
    "is_superuser",
    "token_version",
)


class JWTAuthentication(BaseJWTAuthentication):
    def get_user(self, validated_token):
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError:
            raise InvalidToken("登录凭证中没有用户") from None
        try:
            user = User.objects.only(*REQUEST_USER_COLUMNS).get(**{api_settings.USER_ID_FIELD: user_id})
        except User.DoesNotExist:
            raise AuthenticationFailed("用户不存在", code="user_not_found") from None
        if not user.is_active:
            raise AuthenticationFailed("用户已停用", code="user_inactive")
        if validated_token.get(VERSION_CLAIM, 0) != user.token_version:
            raise AuthenticationFailed("登录已失效，请重新登录", code="token_revoked")
        return user


def _decode_refresh(raw: str) -> RefreshToken:
    """Signature, expiry and type; the blacklist is checked by `token_refresh` itself."""
    try:
        payload = UntypedToken(raw).payload  # verifies signature and expiry
    except TokenError:
        raise InvalidToken("登录凭证无效或已过期") from None
    if payload.get(api_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        raise InvalidToken("不是刷新凭证")
    token = RefreshToken(raw, verify=False)  # already verified above
    return token


def _user_of(token: RefreshToken) -> User:
    user = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active or token.get(VERSION_CLAIM, 0) != user.token_version:
        raise InvalidToken("登录已失效，请重新登录")
    return user


def _family(token: RefreshToken) -> str:
    return str(token.get(FAMILY_CLAIM) or token[api_settings.JTI_CLAIM])


def revoke_family(family: str, *, reason: str) -> None:
    RevokedTokenFamily.objects.get_or_create(family=family, defaults={"reason": reason})


def _spend(token: RefreshToken, user: User) -> bool:
    """Blacklist this refresh token; False if it was already spent (the unique row says so)."""
    jti = token[api_settings.JTI_CLAIM]
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=jti, defaults={"user": user, "token": str(token), "expires_at": datetime_from_epoch(token["exp"])}
    )
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError:
        return False
    return True


def token_refresh(*, raw: str) -> dict[str, str]:
    """Spend a refresh token for a new access token and the next refresh token of its family."""
    token = _decode_refresh(raw)
    family = _family(token)
    with transaction.atomic():
        user = _user_of(token)
        if RevokedTokenFamily.objects.filter(family=family).exists():
            raise InvalidToken("登录已失效，请重新登录")
        spent_now = _spend(token, user)
        if spent_now:
            token.set_jti()
            token.set_exp()
            token.set_iat()
            token[FAMILY_CLAIM] = family
            token[VERSION_CLAIM] = user.token_version
            token.outstand()
            return {"access": str(token.access_token), "refresh": str(token)}
        revoke_family(family, reason="reuse")
    # Outside the atomic block: the family's revocation is committed before we answer.
    raise InvalidToken("该登录凭证已使用过，为安全起见本次登录已全部失效，请重新登录")


@transaction.atomic
def token_logout(*, raw: str, everywhere: bool = False) -> None:
    """End this session (its refresh family); with `everywhere`, every session of the user."""
    token = _decode_refresh(raw)
    user = _user_of(token)
    revoke_family(_family(token), reason="logout")
    if everywhere:
        user.revoke_tokens()


def flush_expired() -> int:
    """Delete outstanding/spent token rows and revoked families older than a refresh token lives."""
    from django.utils import timezone

    now = timezone.now()
    deleted, _ = OutstandingToken.objects.filter(expires_at__lt=now).delete()
    gone, _ = RevokedTokenFamily.objects.filter(revoked_at__lt=now - api_settings.REFRESH_TOKEN_LIFETIME).delete()
    return deleted + gone
