"""Demo: the district's operator (运维), who sees the operations alerts in the console and /healthz/detail."""

from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role


def seed(log):
    user = ensure_staff_user("ops_district", "区运维·周明", is_staff=True)
    Membership.objects.get_or_create(user=user, role=Role.OPS, community=None, street=None, scope_type=None)
    log("ops: operator ops_district (运维)")
