"""Quality-gate registrations for the residents endpoints (see tests/quality/registry.py)."""

from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Role
from linli.regions.models import Room
from residents.models import Verification
from tests import factories
from tests.residents import factories as rf


def _grant_room(user, community, relation="owner") -> Room:
    room = rf.make_room(community)
    factories.grant(
        user,
        Role.RESIDENT,
        community=community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position=relation,
    )
    return room


def _verification(user, community) -> Verification:
    return Verification.objects.create(
        user=user,
        room=rf.make_room(community),
        community=community,
        relation="tenant",
        real_name="王五",
        phone="13900000000",
    )


def _order_in(community, photos=0):
    reporter, room = rf.make_verified_resident(community)
    return rf.make_work_order(reporter, room=room, photos=[factories.make_upload(reporter) for _ in range(photos)])


# --- lists: maker(persona, n) creates n more rows the persona sees -------------------------------


def estates(persona, n):
    for _ in range(n):
        rf.make_room(persona.community, estate_name=f"小区{factories.make_street().pk}")


def categories(persona, n):
    for _ in range(n):
        rf.make_category()


def households(persona, n):
    for _ in range(n):
        _grant_room(persona.user, persona.community, relation="tenant")


def my_verifications(persona, n):
    for _ in range(n):
        _verification(persona.user, persona.community)


def my_work_orders(persona, n):
    for _ in range(n):
        rf.make_work_order(persona.user, community=persona.community)


def my_announcements(persona, n):
    for _ in range(n):
        rf.make_announcement(persona.community)


def review_queue(persona, n):
    for _ in range(n):
        _verification(factories.make_resident(), persona.community)


def staff_queue(persona, n):
    reporter, room = rf.make_verified_resident(persona.community)
    category = rf.make_category()
    for _ in range(n):
        rf.make_work_order(reporter, room=room, category=category)


def staff_announcements(persona, n):
    for _ in range(n):
        rf.make_announcement(persona.community, created_by=persona.user)


def handlers(persona, n):
    for _ in range(n):
        rf.make_property_manager(persona.community)


LIST_DATA = {
    "/api/v1/residents/estates/": ("resident", estates),
    "/api/v1/residents/work-order-categories/": ("resident", categories),
    "/api/v1/residents/households/": ("resident", households),
    "/api/v1/residents/verifications/": ("resident", my_verifications),
    "/api/v1/residents/work-orders/": ("resident", my_work_orders),
    "/api/v1/residents/announcements/": ("resident", my_announcements),
    "/api/v1/staff/verifications/": ("staff", review_queue),
    "/api/v1/staff/work-orders/": ("staff", staff_queue),
    "/api/v1/staff/work-orders/handlers/": ("staff", handlers),
    "/api/v1/staff/announcements/": ("staff", staff_announcements),
}


# --- other GETs: maker(persona) → path parameters of an object the persona may see -------------


def an_estate(persona):
    return {"id": rf.make_room(persona.community).building.estate_id}


def my_household(persona):
    return {"id": _grant_room(persona.user, persona.community).pk}


def my_household_with_family(persona):
    room = _grant_room(persona.user, persona.community)
    for _ in range(3):
        rf.make_verified_resident(persona.community, room=room, relation="family")
    return {"id": room.pk}


def my_verification(persona):
    return {"id": _verification(persona.user, persona.community).pk}


def my_work_order(persona):
    # The fuzzer may call this for any persona: make them a resident of the community first.
    if not persona.user.memberships.filter(role=Role.RESIDENT, community=persona.community).exists():
        factories.grant(persona.user, Role.RESIDENT, community=persona.community)
    photos = [factories.make_upload(persona.user) for _ in range(3)]
    order = rf.make_work_order(persona.user, community=persona.community, upto="in_progress", photos=photos)
    return {"id": order.pk}


def my_announcement(persona):
    return {"id": rf.make_announcement(persona.community).pk}


def a_verification_to_review(persona):
    return {"id": _verification(factories.make_resident(), persona.community).pk}


def an_order_in_the_queue(persona):
    return {"id": _order_in(persona.community, photos=3).pk}


def some_stats(persona):
    _order_in(persona.community)
    return {}


def an_announcement_of_mine(persona):
    return {"id": rf.make_announcement(persona.community, created_by=persona.user).pk}


DETAIL_BUDGETS = {
    # 1 token user, 1 estate + community, 1 its buildings, 1 their rooms
    "/api/v1/residents/estates/{id}/": ("resident", an_estate, 4),
    # 1 token user, 1 the room (relation and since as subqueries)
    "/api/v1/residents/households/{id}/": ("resident", my_household, 2),
    # 1 token user, 1 the room (mine?), 1 my residency there (owner?), 1 the members with their users
    "/api/v1/residents/households/{id}/members/": ("resident", my_household_with_family, 4),
    # 1 token user, 1 the application with room, community and reviewer joined
    "/api/v1/residents/verifications/{id}/": ("resident", my_verification, 2),
    # 1 token user, 1 the order (places joined), 1 its people (narrow, not joined), 1 its timeline with actors,
    # 1 its photos, 1 its resolution photos
    "/api/v1/residents/work-orders/{id}/": ("resident", my_work_order, 6),
    # 1 token user, 1 my communities, 1 the announcement with its read state
    "/api/v1/residents/announcements/{id}/": ("resident", my_announcement, 3),
    # 1 token user, 1 my roles (the staff-role check and my communities), 1 the application
    "/api/v1/staff/verifications/{id}/": ("staff", a_verification_to_review, 3),
    # 1 token user, 1 my roles, 1 the order, 1 its people, 1 its timeline, 1 its photos, 1 its resolution photos
    "/api/v1/staff/work-orders/{id}/": ("staff", an_order_in_the_queue, 7),
    # 1 token user, 1 my roles, 1 the communities, 1 the orders' columns
    "/api/v1/staff/work-orders/stats/": ("staff", some_stats, 4),
    # 1 token user, 1 my roles, 1 the announcement with its read count
    "/api/v1/staff/announcements/{id}/": ("staff", an_announcement_of_mine, 3),
}


def give_residents(user):
    from django.utils import timezone

    from residents import services
    from residents.models import Announcement

    community = user.memberships.filter(community__isnull=False).first().community
    room = rf.make_room(community)
    Verification.objects.create(
        user=user, room=room, community=community, relation="owner", real_name="李秀英本人", phone="13912345678"
    )
    order = rf.make_work_order(
        user,
        community=community,
        description="我家厨房漏水，找李秀英",
        upto="submitted",
        photos=[factories.make_upload(user)],
    )
    services.work_order_cancel(work_order=order, actor=user, reason="李秀英自己修好了")
    announcement = Announcement.objects.create(
        community=community, title="停水通知", body="x", publish_at=timezone.now()
    )
    services.announcement_mark_read(announcement=announcement, user=user)
    return ["李秀英本人", "我家厨房漏水，找李秀英", "李秀英自己修好了", "停水通知"]


PRIVACY_DATA = {"residents": give_residents}
# verifications with room → building → estate and community joined, work orders with category and
# community joined, their photos, the timeline steps the user took, announcement reads with their announcement
EXPORT_QUERIES = {"residents": 5}
