"""A provider's people: managers (who dispatch) and care workers, as memberships scoped to it."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from care.models import Provider, ProviderPosition
from linli.accounts.models import Membership, Role, User


@transaction.atomic
def provider_member_add(*, provider: Provider, user: User, position: str = ProviderPosition.WORKER) -> Membership:
    """Make `user` a manager or care worker of `provider` (once; the position is updated)."""
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=Role.CARE_WORKER,
        scope_type=ContentType.objects.get_for_model(Provider),
        scope_id=provider.pk,
        defaults={"position": position},
    )
    if not created and membership.position != position:
        membership.position = position
        membership.save(update_fields=["position"])
    return membership
