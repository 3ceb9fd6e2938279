"""Who sees and touches which work order: a matrix over roles.

The order belongs to a resident of 斗潭. Only its reporter sees it on the resident side; only
property managers and community staff of 斗潭 see it on the staff side. Everyone else gets 404 on
the detail and on every action, and does not find it in any list. The staff API itself is 403 for
users who hold no staff role at all.
"""

import pytest

from linli.accounts.models import Role
from residents.models import WorkOrder
from tests import factories
from tests.residents import factories as rf

MINE, QUEUE = "/api/v1/residents/work-orders/", "/api/v1/staff/work-orders/"

ROLES = [
    "resident_owner",
    "other_resident",
    "manager_here",
    "manager_there",
    "staff_here",
    "staff_there",
    "outsider",
]
SEES_MINE = {"resident_owner"}
SEES_QUEUE = {"manager_here", "staff_here"}
STAFF_ROLES = {"manager_here", "manager_there", "staff_here", "staff_there"}


@pytest.fixture
def world(community, other_community, owner, room, category, handler):
    other, _ = rf.make_verified_resident(community)
    people = {
        "resident_owner": owner,
        "other_resident": other,
        "manager_here": handler,
        "manager_there": rf.make_property_manager(other_community),
        "staff_here": factories.make_user(),
        "staff_there": factories.make_user(),
        "outsider": factories.make_user(),
    }
    factories.grant(people["staff_here"], Role.COMMUNITY_STAFF, community=community)
    factories.grant(people["staff_there"], Role.COMMUNITY_STAFF, community=other_community)
    # Those of the other community have an order of their own there, so their lists are not empty.
    resident_there, room_there = rf.make_verified_resident(other_community)
    rf.make_work_order(resident_there, room=room_there, category=category)
    order = rf.make_work_order(owner, room=room, category=category)
    return people, order


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_an_order_only_to_its_reporter_and_the_staff_of_its_community(as_user, world, role):
    people, order = world
    client = as_user(people[role])

    mine = client.get(MINE)
    assert mine.status_code == 200
    assert (order.pk in ids(mine)) == (role in SEES_MINE)

    queue = client.get(QUEUE)
    if role in STAFF_ROLES:
        assert queue.status_code == 200
        assert (order.pk in ids(queue)) == (role in SEES_QUEUE)
        assert all(row["community"]["id"] != order.community_id for row in queue.json()["results"]) == (
            role not in SEES_QUEUE
        )
    else:
        assert queue.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_detail_only_to_those_who_may_see_it(as_user, world, role):
    people, order = world
    client = as_user(people[role])
    assert client.get(f"{MINE}{order.pk}/").status_code == (200 if role in SEES_MINE else 404)
    expected_queue = 200 if role in SEES_QUEUE else (404 if role in STAFF_ROLES else 403)
    assert client.get(f"{QUEUE}{order.pk}/").status_code == expected_queue


RESIDENT_ACTIONS = [
    ("confirm", {"rating": 5}),
    ("reopen", {"reason": "没修好"}),
    ("cancel", {}),
]
STAFF_ACTIONS = [
    ("assign", "ASSIGNEE"),
    ("start", {}),
    ("resolve", {"note": "好了"}),
    ("follow-up", {"note": "回访"}),
]


@pytest.mark.parametrize("role", sorted(set(ROLES) - SEES_MINE))
@pytest.mark.parametrize(("name", "body"), RESIDENT_ACTIONS)
def test_it_answers_404_to_every_resident_action_on_someone_elses_order(as_user, world, role, name, body):
    people, order = world
    response = as_user(people[role]).post(f"{MINE}{order.pk}/{name}/", body, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.SUBMITTED


@pytest.mark.parametrize("role", sorted(STAFF_ROLES - SEES_QUEUE))
@pytest.mark.parametrize(("name", "body"), STAFF_ACTIONS)
def test_it_answers_404_to_every_staff_action_from_another_community(as_user, world, role, name, body):
    people, order = world
    if body == "ASSIGNEE":
        body = {"assignee": people["manager_there"].pk}
    response = as_user(people[role]).post(f"{QUEUE}{order.pk}/{name}/", body, format="json")
    assert response.status_code == 404
    order.refresh_from_db()
    assert (order.status, order.assignee_id) == (WorkOrder.Status.SUBMITTED, None)


@pytest.mark.parametrize("role", sorted(set(ROLES) - STAFF_ROLES))
@pytest.mark.parametrize(("name", "body"), STAFF_ACTIONS)
def test_it_answers_403_to_staff_actions_from_people_without_a_staff_role(as_user, world, role, name, body):
    people, order = world
    if body == "ASSIGNEE":
        body = {"assignee": people["manager_here"].pk}
    response = as_user(people[role]).post(f"{QUEUE}{order.pk}/{name}/", body, format="json")
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.SUBMITTED


def test_it_lets_staff_of_the_community_assign_but_not_work_the_order(as_user, world):
    people, order = world
    staff = as_user(people["staff_here"])
    response = staff.post(f"{QUEUE}{order.pk}/assign/", {"assignee": people["manager_here"].pk}, format="json")
    assert response.status_code == 200
    response = staff.post(f"{QUEUE}{order.pk}/start/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_it_only_assigns_property_managers_of_the_orders_community(as_user, world):
    people, order = world
    for someone in ("manager_there", "staff_here", "resident_owner"):
        response = as_user(people["manager_here"]).post(
            f"{QUEUE}{order.pk}/assign/", {"assignee": people[someone].pk}, format="json"
        )
        assert response.status_code == 400, someone
        assert list(response.json()["fields"]) == ["assignee"]
