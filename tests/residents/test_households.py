"""Estates, household verification (住户认证) and households."""

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from linli.accounts.models import Membership, Role
from linli.notifications.models import Notification
from linli.regions.models import Room
from residents.admin import VerificationAdmin
from residents.models import Verification
from tests import factories
from tests.residents import factories as rf

APPLY, REVIEW = "/api/v1/residents/verifications/", "/api/v1/staff/verifications/"
HOUSEHOLDS = "/api/v1/residents/households/"


@pytest.fixture
def chunjiang(other_community):
    return rf.make_room(other_community, estate_name="春江月小区", building="3幢", unit="2单元", number="502")


@pytest.fixture
def applicant(db):
    return factories.make_resident(display_name="张大爷")


def apply(client, room, relation="owner"):
    return client.post(
        APPLY, {"room": room.pk, "relation": relation, "real_name": "张建国", "phone": "13905700001"}, format="json"
    )


def test_a_room_reads_as_estate_building_unit_and_number(chunjiang):
    assert str(chunjiang) == "春江月小区 3幢2单元 502室"


def test_it_lists_estates_with_buildings_and_rooms_of_a_community(as_user, applicant, chunjiang, community):
    rf.make_room(community)
    response = as_user(applicant).get(
        "/api/v1/residents/estates/", {"community": chunjiang.building.estate.community_id}
    )
    [estate] = response.json()["results"]
    assert estate["name"] == "春江月小区"
    assert estate["buildings"] == [
        {
            "id": chunjiang.building_id,
            "name": "3幢",
            "unit": "2单元",
            "rooms": [{"id": chunjiang.pk, "number": "502", "floor": 1}],
        }
    ]


def test_it_applies_and_staff_of_the_community_approve(as_user, applicant, chunjiang, other_staff, staff):
    response = apply(as_user(applicant), chunjiang)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["room"]["name"], body["phone"]) == (
        "pending",
        "春江月小区 3幢2单元 502室",
        "13905700001",
    )
    assert Notification.objects.filter(recipient=other_staff, kind="verification.submitted").exists()

    # Staff of another community neither see nor decide it.
    assert as_user(staff).get(REVIEW).json()["count"] == 0
    assert as_user(staff).post(f"{REVIEW}{body['id']}/approve/").status_code == 404

    assert [row["id"] for row in as_user(other_staff).get(REVIEW, {"status": "pending"}).json()["results"]] == [
        body["id"]
    ]
    response = as_user(other_staff).post(f"{REVIEW}{body['id']}/approve/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"

    membership = Membership.objects.get(user=applicant, role=Role.RESIDENT)
    assert (membership.community_id, membership.scope, membership.position) == (
        chunjiang.building.estate.community_id,
        chunjiang,
        "owner",
    )
    assert Notification.objects.filter(recipient=applicant, kind="verification.approved").exists()
    # Deciding twice is a conflict.
    assert as_user(other_staff).post(f"{REVIEW}{body['id']}/reject/", {"reason": "x"}).status_code == 409


def test_me_lists_the_household_after_approval(as_user, applicant, chunjiang, other_staff):
    verification = Verification.objects.get(pk=apply(as_user(applicant), chunjiang).json()["id"])
    as_user(other_staff).post(f"{REVIEW}{verification.pk}/approve/")
    roles = as_user(applicant).get("/api/v1/me/").json()["roles"]
    assert [(r["role"], r["scope"]["type"], r["scope"]["name"], r["position"]) for r in roles] == [
        ("resident", "residents.room", "春江月小区 3幢2单元 502室", "owner")
    ]


def test_it_rejects_with_a_reason_and_tells_the_applicant(as_user, applicant, chunjiang, other_staff):
    pk = apply(as_user(applicant), chunjiang).json()["id"]
    assert as_user(other_staff).post(f"{REVIEW}{pk}/reject/", {}, format="json").status_code == 400
    response = as_user(other_staff).post(f"{REVIEW}{pk}/reject/", {"reason": "房产信息不符"}, format="json")
    assert response.json()["status"] == "rejected"
    assert not Membership.objects.filter(user=applicant).exists()
    note = Notification.objects.get(recipient=applicant, kind="verification.rejected")
    assert "房产信息不符" in note.body
    # A rejected applicant may apply again.
    assert apply(as_user(applicant), chunjiang).status_code == 201


def test_it_keeps_one_pending_application_per_user_and_room(as_user, applicant, chunjiang):
    assert apply(as_user(applicant), chunjiang).status_code == 201
    response = apply(as_user(applicant), chunjiang, relation="tenant")
    assert response.status_code == 409
    assert response.json()["code"] == "verification_pending"
    assert Verification.objects.count() == 1


def test_it_refuses_to_verify_someone_who_already_lives_there(as_user, owner, room):
    response = apply(as_user(owner), room)
    assert response.status_code == 409
    assert response.json()["code"] == "already_verified"


def test_it_validates_the_application(as_user, applicant, chunjiang):
    response = as_user(applicant).post(
        APPLY, {"room": 10**9, "relation": "landlord", "real_name": "", "phone": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"room", "relation", "real_name", "phone"}


def test_the_review_api_is_for_community_staff_only(as_user, applicant, other_community):
    manager = rf.make_property_manager(other_community)
    assert as_user(manager).get(REVIEW).status_code == 403
    assert as_user(applicant).get(REVIEW).status_code == 403


def test_the_admin_approves_in_bulk_through_the_same_service(applicant, chunjiang, other_community, other_staff):
    second = factories.make_resident()
    for user in (applicant, second):
        Verification.objects.create(
            user=user, room=chunjiang, community=other_community, relation="family", real_name="x", phone="13900000000"
        )
    request = RequestFactory().post("/admin/")
    request.user = other_staff
    request.session = {}
    request._messages = FallbackStorage(request)
    VerificationAdmin(Verification, AdminSite()).approve_selected(request, Verification.objects.all())
    assert set(Verification.objects.values_list("status", flat=True)) == {"approved"}
    assert Membership.objects.filter(role=Role.RESIDENT, scope_id=chunjiang.pk).count() == 2
    assert Notification.objects.filter(kind="verification.approved").count() == 2


def test_a_resident_lists_their_households_and_leaves_one(as_user, owner, room, community):
    client = as_user(owner)
    [household] = client.get(HOUSEHOLDS).json()["results"]
    assert (household["id"], household["relation"], household["community"]["id"]) == (room.pk, "owner", community.pk)
    Verification.objects.create(
        user=owner, room=room, community=community, relation="owner", real_name="李", phone="1", status="approved"
    )

    assert client.post(f"{HOUSEHOLDS}{room.pk}/leave/").status_code == 204
    assert not Membership.objects.filter(user=owner, role=Role.RESIDENT).exists()
    assert Verification.objects.get(user=owner).status == "left"
    assert client.get(HOUSEHOLDS).json()["count"] == 0
    assert client.post(f"{HOUSEHOLDS}{room.pk}/leave/").status_code == 404


def test_the_household_owner_sees_its_members_and_others_do_not(as_user, owner, room, community):
    family, _ = rf.make_verified_resident(community, room=room, relation="family", display_name="李小妹")
    stranger, _ = rf.make_verified_resident(community)

    members = as_user(owner).get(f"{HOUSEHOLDS}{room.pk}/members/").json()
    assert [(m["user"]["display_name"], m["relation"]) for m in members] == [("李阿姨", "owner"), ("李小妹", "family")]

    response = as_user(family).get(f"{HOUSEHOLDS}{room.pk}/members/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_household_owner"
    assert as_user(stranger).get(f"{HOUSEHOLDS}{room.pk}/members/").status_code == 404


def test_memberships_load_rooms_with_their_names_in_one_query(django_assert_num_queries, owner):
    from linli.accounts.selectors import memberships_of

    with django_assert_num_queries(2):  # 1 memberships + joins, 1 rooms with building and estate joined
        names = [str(m.scope) for m in memberships_of(owner)]
    assert names == [str(Room.objects.get())]
