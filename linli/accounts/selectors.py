from django.db.models import QuerySet

from linli.accounts.models import Membership, Role, User


def memberships_of(user: User) -> QuerySet[Membership]:
    """A user's roles with everything /me shows, in a fixed number of queries."""
    return (
        Membership.objects.filter(user=user)
        .select_related("community__street", "street", "scope_type")
        .prefetch_related("scope")
    )


def community_ids_for(user: User, *roles: Role) -> set[int]:
    """Ids of the communities where the user holds one of `roles` (any role if none given)."""
    if not user.is_authenticated:
        return set()
    qs = Membership.objects.filter(user=user, community__isnull=False)
    if roles:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("community_id", flat=True))


def has_role(user: User, *roles: Role) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, role__in=roles).exists()
