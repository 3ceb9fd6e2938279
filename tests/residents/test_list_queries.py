"""Every list issues the same number of SQL queries with 5 rows as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts.models import Role
from residents.models import Verification
from tests import factories
from tests.residents import factories as rf


def count_queries(client, url) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content[:300]
    return len(captured), len(response.json()["results"]), [q["sql"] for q in captured.captured_queries]


def assert_flat(client, url, grow, expected: int):
    """`grow(n)` adds n rows the client sees at `url`; the query count stays `expected` at 5 and at 50."""
    grow(5)
    client.get(url)  # warm the content-type cache
    small, shown, sql = count_queries(client, url)
    assert shown == 5
    assert small == expected, "\n".join(sql)
    grow(45)
    large, shown, sql = count_queries(client, url)
    assert shown == 50
    assert large == expected, "\n".join(sql)


def test_my_work_orders(as_user, owner, room, category, handler):
    def grow(n):
        for _ in range(n):
            rf.make_work_order(owner, room=room, category=category, upto="assigned", handler=handler)

    # 1 token user, 1 count, 1 page with community, category, room → building → estate joined, 1 the people
    # on the page (not joined: linli/accounts/querysets.py)
    assert_flat(as_user(owner), "/api/v1/residents/work-orders/", grow, 4)


def test_the_staff_queue(as_user, owner, room, category, handler):
    def grow(n):
        for _ in range(n):
            rf.make_work_order(owner, room=room, category=category, upto="in_progress", handler=handler)

    # 1 token user, 1 my roles (the staff-role permission check and my community ids), 1 count, 1 page
    # (places joined), 1 the people on the page
    assert_flat(as_user(handler), "/api/v1/staff/work-orders/", grow, 5)


def test_the_estates_with_their_buildings_and_rooms(as_user, resident):
    def grow(n):
        for _ in range(n):
            room = rf.make_room(factories.make_community())
            rf.make_room(room.building.estate.community, estate_name=room.building.estate.name)

    # 1 token user, 1 count, 1 estates + community, 1 buildings, 1 rooms
    assert_flat(as_user(resident), "/api/v1/residents/estates/", grow, 5)


def test_my_households(as_user, community):
    user = factories.make_resident()

    def grow(n):
        for _ in range(n):
            rf.make_verified_resident(community, room=None)  # someone else's: not shown
            room = rf.make_room(community)
            factories.grant(
                user, Role.RESIDENT, community=community, scope_type=_room_type(), scope_id=room.pk, position="tenant"
            )

    # 1 token user, 1 count, 1 page (relation and since as subqueries, building/estate/community joined)
    # (the content type of Room is cached)
    assert_flat(as_user(user), "/api/v1/residents/households/", grow, 3)


def _room_type():
    from django.contrib.contenttypes.models import ContentType

    from linli.regions.models import Room

    return ContentType.objects.get_for_model(Room)


def test_my_verifications_and_the_review_queue(as_user, community, staff):
    user = factories.make_resident()

    def grow(n):
        for _ in range(n):
            Verification.objects.create(
                user=user, room=rf.make_room(community), community=community, relation="owner", real_name="x", phone="1"
            )

    # 1 token user, 1 count, 1 page with room → building → estate, community joined
    assert_flat(as_user(user), "/api/v1/residents/verifications/", grow, 3)
    Verification.objects.all().delete()
    # 1 token user, 1 my roles (permission check and staff community ids), 1 count, 1 page
    assert_flat(as_user(staff), "/api/v1/staff/verifications/", grow, 4)


def test_the_announcements(as_user, owner, community, staff):
    def grow(n):
        for _ in range(n):
            rf.make_announcement(community, created_by=staff)

    # 1 token user, 1 resident community ids; the shared cards, built cold (each announcement made
    # replaces them): 1 count, 1 page, 1 when the published set next changes; 1 my read state
    assert_flat(as_user(owner), "/api/v1/residents/announcements/", grow, 6)


def test_the_staff_announcements(as_user, community, staff):
    def grow(n):
        for _ in range(n):
            rf.make_announcement(community, created_by=staff)

    # 1 token user, 1 my roles (permission check and staff community ids), 1 count, 1 page with read counts
    assert_flat(as_user(staff), "/api/v1/staff/announcements/", grow, 4)


@pytest.mark.parametrize("n", [5])
def test_the_categories(as_user, owner, n):
    def grow(k):
        for _ in range(k):
            rf.make_category()

    # 1 token user, 1 count, 1 page
    assert_flat(as_user(owner), "/api/v1/residents/work-order-categories/", grow, 3)
