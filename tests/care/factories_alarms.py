"""An elder with an SOS button bound to them, the people an alarm pages, and a provider serving the
community (for the alarm tests)."""

import itertools

from care.models import Provider
from care.services import provider_member_add
from care.services.alarms import care_device_bind
from linli.accounts.models import Role
from linli.devices.models import Device
from tests import factories
from tests.devices.factories import client_for_device, make_device
from tests.residents.factories import make_verified_resident

_seq = itertools.count(1)


def make_provider(community, *, kind=Provider.Kind.HOME_CARE, **kw) -> Provider:
    n = next(_seq)
    provider = Provider.objects.create(name=kw.pop("name", f"测试机构{n}"), kind=kind, **kw)
    provider.communities.add(community)
    return provider


def make_provider_worker(provider, **kw):
    user = factories.make_user(is_staff=True, **kw)
    provider_member_add(provider=provider, user=user)
    return user


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
