"""People and states of the operations watch."""

from datetime import timedelta

from django.utils import timezone

from linli.accounts.models import Role
from linli.ops.models import Heartbeat
from linli.ops.services import heartbeat_record
from tests import factories


def make_ops(**kw):
    """An operator: console access (is_staff) and the ops role (运维), no community."""
    user = factories.make_user(**{"is_staff": True, **kw})
    factories.grant(user, Role.OPS)
    return user


def make_superuser(**kw):
    return factories.make_user(**{"is_staff": True, "is_superuser": True, **kw})


def beat_ticked(minutes_ago: float) -> Heartbeat:
    return heartbeat_record(name=Heartbeat.BEAT, now=timezone.now() - timedelta(minutes=minutes_ago))
