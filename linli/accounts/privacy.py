"""Personal information (PIPL): export all of a user's data, and erase their identity on request.

How an app plugs in: every app of ours that keeps data about a user writes, usually in its
`privacy.py` next to its models,

    def export(user) -> dict:
        '''JSON-serialisable: everything this app holds about the user.'''

    def anonymise(user) -> None:
        '''Delete or detach the user's personal data. Keep what others rely on consistent:
        ledgers, orders and cases stay (pointing at the anonymised user), free text that
        identifies the person is blanked, files are deleted.'''

and registers them from its `AppConfig.ready()`:

    # residents/apps.py
    def ready(self):
        from linli.accounts import privacy
        from residents import privacy as personal_data

        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)

An app may register a handler for a third-party app's models that point at users too (accounts does,
for `admin` below). `tests/accounts/test_privacy.py` fails when a model with a relation to the user
model belongs to an app without a registered handler, so a new app cannot forget.

`export_user_data(user)` → {"user": {profile, roles}, "<app label>": {...}, ...}.
`erase_user(user)`, in one transaction: every anonymiser in *reverse* INSTALLED_APPS order
(scenario apps first, while the platform's data they may need still exists), then the identity
itself goes: username → `deleted-<id>`, names, phone, WeChat ids, avatar, birth date and e-mail
cleared, password unusable, inactive (so every token stops working at once).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from linli.accounts.models import Membership, PhoneCode, User

Exporter = Callable[[User], dict]
Anonymiser = Callable[[User], None]


@dataclass(frozen=True)
class PrivacyHandler:
    label: str
    export: Exporter
    anonymise: Anonymiser | None
    key: str


_registry: dict[str, PrivacyHandler] = {}


def register(label: str, *, export: Exporter, anonymise: Anonymiser | None, key: str | None = None) -> None:
    """Register the handler of app `label`. `anonymise=None` says: nothing to erase (explain why where you call it)."""
    _registry[label] = PrivacyHandler(label=label, export=export, anonymise=anonymise, key=key or label)


def handlers() -> list[PrivacyHandler]:
    """Registered handlers in INSTALLED_APPS order (platform first)."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_registry.values(), key=lambda h: order.get(h.label, len(order)))


def registered_labels() -> set[str]:
    return set(_registry)


def export_user_data(user: User) -> dict:
    """{"user": {...}, "<app label>": {...}, ...}: the profile first, then the apps in INSTALLED_APPS order."""
    if deferred := user.get_deferred_fields():  # a request's user is loaded narrow (linli/accounts/tokens.py)
        user.refresh_from_db(fields=deferred)
    ordered = sorted(handlers(), key=lambda handler: handler.label != "accounts")
    return {handler.key: handler.export(user) for handler in ordered}


@transaction.atomic
def erase_user(*, user: User) -> User:
    """Anonymise `user` for good (PIPL deletion request). Irreversible."""
    user = User.objects.select_for_update().get(pk=user.pk)
    for handler in reversed(handlers()):
        if handler.anonymise is not None:
            handler.anonymise(user)
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.display_name = ""
    user.phone = None
    user.wechat_openid = None
    user.wechat_unionid = ""
    user.avatar = None
    user.birth_date = None
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return user


# --- accounts' own data ---------------------------------------------------------------------


def export_accounts(user: User) -> dict:
    from linli.accounts.api.serializers import MembershipSerializer
    from linli.accounts.selectors import memberships_of

    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "birth_date": user.birth_date.isoformat() if user.birth_date else None,
        "avatar_upload": user.avatar_id,
        "wechat_openid": user.wechat_openid,
        "wechat_unionid": user.wechat_unionid,
        "date_joined": timezone.localtime(user.date_joined).isoformat(),
        "last_login": timezone.localtime(user.last_login).isoformat() if user.last_login else None,
        "roles": MembershipSerializer(memberships_of(user), many=True).data,
        "phone_codes": [
            {
                "phone": code.phone,
                "sent_at": timezone.localtime(code.sent_at).isoformat(),
                "expires_at": timezone.localtime(code.expires_at).isoformat(),
                "failed_attempts": code.failed_attempts,
            }
            for code in PhoneCode.objects.filter(user=user)
        ],
    }


def anonymise_accounts(user: User) -> None:
    """Roles go, except one another app's rows still point at (PROTECT/RESTRICT): those stay for consistency.
    A pending phone-change code goes too."""
    PhoneCode.objects.filter(user=user).delete()
    for membership in Membership.objects.filter(user=user):
        try:
            with transaction.atomic():
                membership.delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            pass


# --- django.contrib.admin: the admin's change log points at the staff member who acted -------


def export_admin_log(user: User) -> dict:
    from django.contrib.admin.models import LogEntry

    entries = LogEntry.objects.filter(user=user).select_related("content_type").order_by("action_time")
    return {
        "actions": [
            {
                "time": timezone.localtime(entry.action_time).isoformat(),
                "action": entry.get_action_flag_display(),
                "object_type": f"{entry.content_type.app_label}.{entry.content_type.model}"
                if entry.content_type
                else None,
                "object": entry.object_repr,
                "change": entry.get_change_message(),
            }
            for entry in entries
        ]
    }


# --- simplejwt's token_blacklist: one row per refresh token issued (linli.accounts.tokens) --------


def export_sessions(user: User) -> dict:
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    tokens = OutstandingToken.objects.filter(user=user).select_related("blacklistedtoken").order_by("created_at")
    return {
        "sessions": [
            {
                "issued_at": timezone.localtime(token.created_at).isoformat() if token.created_at else None,
                "expires_at": timezone.localtime(token.expires_at).isoformat(),
                "used": hasattr(token, "blacklistedtoken"),
            }
            for token in tokens
        ]
    }


def forget_sessions(user: User) -> None:
    # The rows hold the tokens themselves; an erased account has no session to keep.
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    OutstandingToken.objects.filter(user=user).delete()
