"""Factories for residents tests: places, verified residents, handlers, work orders in any state."""

import itertools
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import Role
from linli.regions.models import Building, Estate, Room
from residents import services
from residents.models import Announcement, WorkOrder, WorkOrderCategory
from tests import factories

_seq = itertools.count(1)


def make_room(community, *, estate_name=None, building="3幢", unit="2单元", number=None) -> Room:
    n = next(_seq)
    estate, _ = Estate.objects.get_or_create(community=community, name=estate_name or f"{community.name}小区")
    building, _ = Building.objects.get_or_create(estate=estate, name=building, unit=unit)
    return Room.objects.create(building=building, number=number or f"{n:03d}", floor=1)


def make_category(**kw) -> WorkOrderCategory:
    n = next(_seq)
    defaults = {"name": f"分类{n}", "response_hours": 2, "resolution_hours": 24}
    return WorkOrderCategory.objects.create(**{**defaults, **kw})


def make_verified_resident(community, *, room=None, relation="owner", **kw):
    """A user with a residency membership scoped to a room of `community` → (user, room)."""
    room = room or make_room(community)
    user = factories.make_resident(**kw)
    factories.grant(
        user,
        Role.RESIDENT,
        community=community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position=relation,
    )
    return user, room


def make_property_manager(community, **kw):
    user = factories.make_user(is_staff=True, **kw)
    factories.grant(user, Role.PROPERTY_MANAGER, community=community)
    return user


def make_work_order(reporter, *, room=None, community=None, category=None, upto="submitted", handler=None, **kw):
    """An order filed by `reporter` and moved through the real services up to state `upto`."""
    category = category or make_category()
    kw.setdefault("kind", WorkOrder.Kind.REPAIR)
    kw.setdefault("description", "水管漏水")
    order = services.work_order_submit(reporter=reporter, category=category, room=room, community=community, **kw)
    steps = ["submitted", "assigned", "in_progress", "resolved", "closed"]
    target = steps.index(upto) if upto in steps else 0
    if upto == "cancelled":
        return services.work_order_cancel(work_order=order, actor=reporter)
    if target >= 1:
        handler = handler or make_property_manager(order.community)
        order = services.work_order_assign(work_order=order, actor=handler, assignee=handler)
    if target >= 2:
        order = services.work_order_start(work_order=order, actor=handler)
    if target >= 3:
        order = services.work_order_resolve(work_order=order, actor=handler, note="修好了")
    if target >= 4:
        order = services.work_order_confirm(work_order=order, actor=reporter, rating=4)
    return order


def make_announcement(community, **kw) -> Announcement:
    n = next(_seq)
    defaults = {"title": f"公告{n}", "body": "正文", "publish_at": timezone.now() - timedelta(hours=1)}
    return Announcement.objects.create(community=community, **{**defaults, **kw})
