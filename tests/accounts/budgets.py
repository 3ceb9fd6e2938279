"""Quality-gate registrations for the accounts endpoints (see tests/quality/registry.py)."""

from linli.accounts.models import Role
from tests import factories


def me(persona):
    factories.grant(persona.user, Role.PROPERTY_MANAGER, community=factories.make_community())
    return {}


def my_data(persona):
    """Data in every app with a privacy handler, made by the apps' own PRIVACY_DATA makers."""
    from tests.quality.registry import registry

    for give in registry().privacy_data.values():
        give(persona.user)
    return {}


def export_budget() -> int:
    from tests.quality.registry import registry

    return 2 + sum(registry().export_queries.values())


DETAIL_BUDGETS = {
    # 1 token user, 1 memberships with communities, streets and content types joined
    "/api/v1/me/": ("resident", me, 2),
    # 1 token user (narrow), 1 the rest of the profile, then what each app's export costs (EXPORT_QUERIES in
    # the apps' budgets.py)
    "/api/v1/me/export/": ("resident", my_data, export_budget),
}

# Deleting the account uses the persona up: every fuzzed example gets a fresh user.
FUZZ_THROWAWAY_USER = {("POST", "/api/v1/me/delete/")}


def give_roles(user):
    from datetime import timedelta

    from django.utils import timezone

    from linli.accounts.models import PhoneCode
    from tests.residents.factories import make_room

    # A verified household, as residents have: its membership is scoped to a room, which the export names.
    community = factories.make_community()
    factories.grant(user, Role.RESIDENT, community=community, scope=make_room(community), position="owner")
    now = timezone.now()
    PhoneCode.objects.create(
        user=user, phone="13755550123", code_hash="0" * 64, sent_at=now, expires_at=now + timedelta(minutes=10)
    )
    # The roles go (the community names are not personal data), and the number a code went to.
    return ["13755550123"]


def give_stored_responses(user):
    from linli.api.models import IdempotencyRecord

    IdempotencyRecord.objects.create(
        principal=f"user:{user.pk}",
        key="order-2026-0001",
        scope="POST /api/v1/market/orders/",
        request_hash="0" * 64,
        status_code=201,
        response_body={"receiver": user.display_name, "phone": user.phone},
    )
    return ["order-2026-0001"]


def give_admin_actions(user):
    from django.contrib.admin.models import CHANGE, LogEntry

    community = factories.make_community(name="春江月社区")
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[community], action_flag=CHANGE, change_message="改了简介", single_object=True
    )
    return []  # the console's audit trail stays, pointing at the anonymised account


def give_sessions(user):
    from linli.accounts.tokens import RefreshToken

    RefreshToken.for_user(user)
    return []  # issue and expiry times only: nothing that identifies the person


PRIVACY_DATA = {
    "accounts": give_roles,
    "token_blacklist": give_sessions,
    "api": give_stored_responses,
    "admin": give_admin_actions,
}
EXPORT_QUERIES = {
    # memberships with communities, streets and content types joined; the rooms they are scoped to; a phone code
    "accounts": 3,
    "api": 1,  # stored idempotent responses
    "admin": 1,  # the admin's change log with content types joined
    "token_blacklist": 1,  # refresh tokens issued, with whether each was used
}
