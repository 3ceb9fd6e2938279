"""Device reads that need care: what a device is told to do, and who hears about it."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.accounts.selectors import community_ids_for
from linli.devices.models import Device, DeviceCommand, DeviceOutage

# Who is alerted about a device placed in a street (no community): the street's own people.
STREET_ALERT_ROLES = (Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.OFFICER)


def pending_commands(device: Device) -> QuerySet[DeviceCommand]:
    """Commands the device should still carry out, oldest first (expired ones are not offered)."""
    return DeviceCommand.objects.filter(device=device, status=DeviceCommand.Status.PENDING).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def alert_recipients(device: Device) -> list[int]:
    """User ids to alert about a device: the community staff of its community, or, for a device placed
    only in a street or township, that street's staff, grid workers and officers."""
    if device.community_id:
        qs = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community_id=device.community_id)
    elif device.street_id:
        qs = Membership.objects.filter(role__in=STREET_ALERT_ROLES, street_id=device.street_id)
    else:
        return []
    return sorted(set(qs.filter(user__is_active=True).values_list("user_id", flat=True)))


def devices_for_staff(user) -> QuerySet[Device]:
    """Devices of the communities where `user` is community staff, with what the list shows, in one query."""
    open_outage = DeviceOutage.objects.filter(device=OuterRef("pk"), ended_at__isnull=True).values("detected_at")[:1]
    return (
        Device.objects.filter(community_id__in=community_ids_for(user, Role.COMMUNITY_STAFF))
        .select_related("community")
        .annotate(
            pending_commands=Count("commands", filter=Q(commands__status=DeviceCommand.Status.PENDING)),
            offline_since=Subquery(open_outage),
        )
        .order_by("community_id", "kind", "code")
    )
