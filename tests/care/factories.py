"""Factories for home-care tests: places with a gate position, providers with their people, the
catalogue, elders with a home and a subsidy, orders moved through the real services."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from care import checkin, services
from care.models import CareService, Provider, ProviderPosition, ServiceKind
from linli.accounts.models import Role
from linli.payments import services as payments
from linli.regions.models import Building, Estate, Room
from tests import factories

_seq = itertools.count(1)

GATE = (Decimal("28.955310"), Decimal("118.868420"))


def make_room(community, *, estate_name=None, gate=GATE) -> Room:
    n = next(_seq)
    estate, _ = Estate.objects.get_or_create(
        community=community,
        name=estate_name or f"{community.name}小区",
        defaults={"latitude": gate[0] if gate else None, "longitude": gate[1] if gate else None},
    )
    building, _ = Building.objects.get_or_create(estate=estate, name="1幢", unit="1单元")
    return Room.objects.create(building=building, number=f"{n:03d}", floor=1)


def make_elder(community, *, room=None, **kw):
    """A user verified as living in a room of `community` → the user (their home: `home_of`)."""
    room = room or make_room(community)
    elder = factories.make_resident(**{"display_name": f"老人{next(_seq)}", **kw})
    factories.grant(
        elder,
        Role.RESIDENT,
        community=community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position="owner",
    )
    return elder


def make_provider(community, **kw) -> Provider:
    n = next(_seq)
    provider = Provider.objects.create(**{"name": f"养老服务中心{n}", "phone": "0570-3000000", **kw})
    provider.communities.add(community)
    return provider


def make_member(provider, position=ProviderPosition.WORKER, **kw):
    user = factories.make_user(**kw)
    services.provider_member_add(provider=provider, user=user, position=position)
    return user


def make_service(provider, community, **kw) -> CareService:
    n = next(_seq)
    defaults = {
        "kind": ServiceKind.BATHING,
        "name": f"上门助浴{n}",
        "price_fen": 8000,
        "duration_minutes": 60,
        "subsidy_eligible": True,
    }
    return CareService.objects.create(provider=provider, community=community, **{**defaults, **kw})


def give_subsidy(elder, community, *, amount_fen, by=None):
    """A subsidy account with this month's grant of `amount_fen`."""
    if by is None:
        by = factories.make_user(is_superuser=True)
    account = services.subsidy_account_set(by=by, elder=elder, community=community, monthly_amount_fen=amount_fen)
    services.subsidy_grant(account=account, month=timezone.localdate())
    account.refresh_from_db()
    return account


def later(hours=24):
    return timezone.now() + timedelta(hours=hours)


def make_order(elder, service, *, upto="placed", worker=None, manager=None, start=None, **kw):
    """An order placed for `elder` and moved through the real services (paid in the sandbox) up to `upto`."""
    order = services.care_order_place(elder=elder, service=service, scheduled_start=start or later(), **kw)
    if upto == "pending_payment":
        return order
    if order.status == "pending_payment":
        payments.payment_sandbox_complete(intent=order.payment_intent)
        order.refresh_from_db()
    steps = ["placed", "dispatched", "in_service", "done", "rated"]
    target = steps.index(upto)
    if target >= 1:
        manager = manager or make_member(service.provider, ProviderPosition.MANAGER)
        worker = worker or make_member(service.provider)
        order = services.care_order_dispatch(order=order, by=manager, worker=worker)
    if target >= 2:
        order = services.care_order_check_in(order=order, worker=worker, door_code=checkin.door_code(order.room_id))
    if target >= 3:
        order = services.care_order_check_out(order=order, worker=worker, service_note="洗浴完成", photos=[])
    if target >= 4:
        order = services.care_order_rate(order=order, by=elder, rating=5)
    return order
