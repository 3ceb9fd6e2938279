"""Households: who lives in which room. A verified household is a platform
`Membership(role=RESIDENT, community=…, scope=<Room>, position=<relation>)`; the residents app's
verification creates it, and every app that needs "the elder's home" or "the room's household"
reads it here.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet, Subquery

from linli.accounts.models import Membership, Role, User
from linli.regions.models import Room


def room_community_id(room: Room) -> int:
    return room.building.estate.community_id


def residencies_of(user: User) -> QuerySet[Membership]:
    """The user's verified households (resident memberships scoped to a room)."""
    return Membership.objects.filter(
        user=user, role=Role.RESIDENT, scope_type=ContentType.objects.get_for_model(Room)
    ).select_related("community")


def households_of(user: User) -> QuerySet[Room]:
    """The rooms the user is a verified resident of, with their relation and since when."""
    if not user.is_authenticated:
        return Room.objects.none()
    mine = residencies_of(user).filter(scope_id=OuterRef("pk"))
    return (
        Room.objects.filter(pk__in=residencies_of(user).values("scope_id"))
        .select_related("building__estate__community")
        .annotate(
            relation=Subquery(mine.values("position")[:1]),
            since=Subquery(mine.values("created_at")[:1]),
        )
        .order_by("pk")
    )


def household_members(room: Room) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            role=Role.RESIDENT, scope_type=ContentType.objects.get_for_model(Room), scope_id=room.pk
        )
        .select_related("user")
        .order_by("created_at", "id")
    )


def residency(user: User, room: Room) -> Membership | None:
    return residencies_of(user).filter(scope_id=room.pk).first()
