import contextvars
import itertools
from typing import NamedTuple

from django.core.signals import request_started
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from linli.accounts.models import Membership, Role, User


def memberships_of(user: User) -> QuerySet[Membership]:
    """A user's roles with everything /me shows, in a fixed number of queries."""
    # Only the joins /me shows: a community's or street's name. The scope's content type comes from
    # Django's in-process cache (ContentType.objects.get_for_id), not a fourth join.
    return Membership.objects.filter(user=user).select_related("community", "street").prefetch_related("scope")


class HeldRole(NamedTuple):
    """One membership as the permission checks and scoping selectors need it (no joins)."""

    role: str
    community_id: int | None
    street_id: int | None
    scope_type_id: int | None
    scope_id: int | None


# The roles of a user are loaded once per request and kept on the user object, so the permission
# check, the view's scoping and the serializer all reuse one query. Any membership write in this
# process moves the generation on, and every request starts a new context (per thread: another
# thread's request does not invalidate this one's); either makes the next read reload.
_generations = itertools.count(1)
_generation = next(_generations)
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("roles_of_request", default=None)


def _invalidate(**kwargs) -> None:
    global _generation
    _generation = next(_generations)


def _new_request(**kwargs) -> None:
    _request.set(object())


post_save.connect(_invalidate, sender=Membership, dispatch_uid="accounts.roles_of.save")
post_delete.connect(_invalidate, sender=Membership, dispatch_uid="accounts.roles_of.delete")
request_started.connect(_new_request, dispatch_uid="accounts.roles_of.request")


def roles_of(user: User) -> list[HeldRole]:
    """Every membership of `user` (role, community, street, scope), from one query per request."""
    if not user.is_authenticated:
        return []
    stamp = (_generation, _request.get())  # taken before the query: a write during it makes the next read reload
    cached = user.__dict__.get("_roles_of")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    roles = [
        HeldRole(*row)
        for row in Membership.objects.filter(user=user)
        .order_by()
        .values_list("role", "community_id", "street_id", "scope_type_id", "scope_id")
    ]
    user.__dict__["_roles_of"] = (stamp, roles)
    return roles


def community_ids_for(user: User, *roles: Role) -> set[int]:
    """Ids of the communities where the user holds one of `roles` (any role if none given)."""
    return {r.community_id for r in roles_of(user) if r.community_id is not None and (not roles or r.role in roles)}


def has_role(user: User, *roles: Role) -> bool:
    return any(r.role in roles for r in roles_of(user))
