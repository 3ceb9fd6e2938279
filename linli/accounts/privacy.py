"""Personal information (PIPL): export all of a user's data, and erase their identity on request.

Every app of ours that keeps data about a user ships a `privacy.py` next to its models with

    def export(user) -> dict:
        '''JSON-serialisable: everything this app holds about the user.'''

    def anonymise(user) -> None:
        '''Delete or detach the user's personal data. Keep what others rely on consistent:
        ledgers, orders and cases stay (pointing at the anonymised user), free text that
        identifies the person is blanked, files are deleted.'''

They are discovered like `demo.py` (see `seed_demo`). An app may also call `register()` from
its `privacy.py`, e.g. for a third-party app's model that points at users (`admin` below).
`tests/accounts/test_privacy.py` fails when a model with a relation to the user model belongs to
an app without a handler, so a new app cannot forget.

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

from linli.accounts.models import Membership, User
from linli.lib.discovery import app_modules

Exporter = Callable[[User], dict]
Anonymiser = Callable[[User], None]


@dataclass(frozen=True)
class PrivacyHandler:
    label: str
    export: Exporter
    anonymise: Anonymiser | None
    key: str


_registry: dict[str, PrivacyHandler] = {}
_discovered = False


def register(label: str, *, export: Exporter, anonymise: Anonymiser | None, key: str | None = None) -> None:
    """Register the handler of app `label`. `anonymise=None` says: nothing to erase (explain why where you call it)."""
    _registry[label] = PrivacyHandler(label=label, export=export, anonymise=anonymise, key=key or label)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config, module in app_modules("privacy"):
        if config.label not in _registry and callable(getattr(module, "export", None)):
            register(config.label, export=module.export, anonymise=getattr(module, "anonymise", None))
    _discovered = True


def handlers() -> list[PrivacyHandler]:
    """Registered handlers in INSTALLED_APPS order (platform first)."""
    _discover()
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_registry.values(), key=lambda h: order.get(h.label, len(order)))


def registered_labels() -> set[str]:
    _discover()
    return set(_registry)


def export_user_data(user: User) -> dict:
    """{"user": {...}, "<app label>": {...}, ...}: the profile first, then the apps in INSTALLED_APPS order."""
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
    user.avatar_url = ""
    user.birth_date = None
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return user


# --- accounts' own data ---------------------------------------------------------------------


def _export_accounts(user: User) -> dict:
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
        "avatar_url": user.avatar_url,
        "wechat_openid": user.wechat_openid,
        "wechat_unionid": user.wechat_unionid,
        "date_joined": timezone.localtime(user.date_joined).isoformat(),
        "last_login": timezone.localtime(user.last_login).isoformat() if user.last_login else None,
        "roles": MembershipSerializer(memberships_of(user), many=True).data,
    }


def _anonymise_accounts(user: User) -> None:
    """Roles go, except one another app's rows still point at (PROTECT/RESTRICT): those stay for consistency."""
    for membership in Membership.objects.filter(user=user):
        try:
            with transaction.atomic():
                membership.delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            pass


register("accounts", export=_export_accounts, anonymise=_anonymise_accounts, key="user")


# --- django.contrib.admin: the admin's change log points at the staff member who acted -------


def _export_admin_log(user: User) -> dict:
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


# The change log is the audit trail of what staff did in the console: it stays, pointing at the
# anonymised user row, like ledgers and cases do.
register("admin", export=_export_admin_log, anonymise=None)


# --- simplejwt's token_blacklist: one row per refresh token issued (linli.accounts.tokens) --------


def _export_sessions(user: User) -> dict:
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


def _forget_sessions(user: User) -> None:
    # The rows hold the tokens themselves; an erased account has no session to keep.
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    OutstandingToken.objects.filter(user=user).delete()


register("token_blacklist", export=_export_sessions, anonymise=_forget_sessions)
