"""An elder with an SOS button bound to them, the people an alarm pages, and a provider serving the
community (for the alarm tests)."""

from care.services.alarms import care_device_bind
from linli.accounts.models import Role
from linli.devices.models import Device
from tests import factories
from tests.care.factories import make_member
from tests.devices.factories import client_for_device, make_device
from tests.residents.factories import make_verified_resident


def make_provider_worker(provider, **kw):
    return make_member(provider, is_staff=True, **kw)


def make_community_staff(community, **kw):
    user = factories.make_user(is_staff=True, **kw)
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    return user


def make_sos_button(community, *, elder=None, kind=Device.Kind.SOS_BUTTON):
    """(binding, signed device client): a button bound to `elder` (a verified resident by default)."""
    room = None
    if elder is None:
        elder, room = make_verified_resident(community, display_name="张奶奶")
    device, secret = make_device(community, kind=kind)
    binding = care_device_bind(device=device, elder=elder, community=community, room=room, note="床头")
    return binding, client_for_device(device, secret)
