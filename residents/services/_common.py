"""What the residents services share."""

from linli.accounts.models import Membership, Role, User


def resident_link(kind: str, pk: int) -> str:
    """The mini-program page of a resident's verification or work order (a notification's link)."""
    return f"/pages/{kind}/detail?id={pk}"


def is_community_staff(user: User, community_id: int) -> bool:
    return Membership.objects.filter(user=user, role=Role.COMMUNITY_STAFF, community_id=community_id).exists()
