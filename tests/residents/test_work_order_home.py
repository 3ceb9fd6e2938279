"""A resident's new work order is for their home when they have exactly one and named no room."""

from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Role
from linli.regions.models import Room
from residents.models import WorkOrder
from tests import factories
from tests.residents import factories as rf

MINE = "/api/v1/residents/work-orders/"


def add_home(user, community):
    """Make `user` a verified resident of one more room of `community`."""
    _, another = rf.make_verified_resident(community)
    factories.grant(
        user,
        Role.RESIDENT,
        community=community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=another.pk,
    )
    return another


def file(client, category, **extra):
    body = {"kind": "repair", "category": category.pk, "description": "厨房水管漏水", **extra}
    return client.post(MINE, body, format="json")


def test_it_files_for_the_one_verified_home_when_no_room_is_given(as_user, owner, room, category, community):
    response = file(as_user(owner), category, community=community.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["room"]["id"] == room.pk
    assert WorkOrder.objects.get().room_id == room.pk


def test_it_keeps_the_room_the_resident_chose(as_user, owner, category, community):
    second_room = add_home(owner, community)
    response = file(as_user(owner), category, room=second_room.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["room"]["id"] == second_room.pk


def test_it_files_without_a_room_for_a_resident_with_no_verified_home(as_user, category, community):
    resident = factories.make_resident()
    factories.grant(resident, Role.RESIDENT, community=community)  # verified in the community, no room
    response = file(as_user(resident), category)
    assert response.status_code == 201, response.json()
    assert response.json()["room"] is None


def test_it_files_without_a_room_for_a_resident_with_two_homes(as_user, owner, category, community):
    add_home(owner, community)
    response = file(as_user(owner), category, community=community.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["room"] is None


def test_it_does_not_take_a_home_in_another_community(as_user, owner, category, other_community):
    factories.grant(owner, Role.RESIDENT, community=other_community)  # verified there too, but without a room
    response = file(as_user(owner), category, community=other_community.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["community"]["id"] == other_community.pk
    assert response.json()["room"] is None


def test_it_gives_a_staff_filed_order_the_residents_one_home(as_user, staff, owner, room, category, community):
    body = {"reporter": owner.pk, "kind": "repair", "category": category.pk, "description": "门锁坏了"}
    response = as_user(staff).post("/api/v1/staff/work-orders/", {**body, "channel": "phone"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["room"]["id"] == room.pk
