"""Issue 16, finding 3: shop memberships only by the member's consent.

The probe enrolled any user id as a member (the superuser became `owner`) and learnt from the answer
whether a phone number was registered."""

import pytest

from linli.accounts.models import Membership, Role
from tests import factories
from tests.merchants.factories import add_member, make_owner

pytestmark = pytest.mark.django_db

MEMBERS, INVITE, MINE = "/api/v1/merchant/members/", "/api/v1/merchant/invitations/", "/api/v1/merchants/invitations/"


@pytest.fixture
def shop(community):
    return make_owner(community)


def shop_positions(merchant):
    return dict(
        Membership.objects.filter(role=Role.MERCHANT_MEMBER, scope_id=merchant.pk).values_list("user_id", "position")
    )


def test_it_refuses_to_enrol_anyone_by_user_id_or_phone_without_their_consent(as_user, shop):
    merchant, owner = shop
    superuser = factories.make_user(is_staff=True, is_superuser=True, phone="13700000001")
    resident = factories.make_resident(phone="13700000002")
    for body in (
        {"merchant": merchant.pk, "user": superuser.pk, "position": "owner"},
        {"merchant": merchant.pk, "user": resident.pk},
        {"merchant": merchant.pk, "phone": "13700000002"},
        {"merchant": merchant.pk, "phone": "13700000002", "user": resident.pk},
    ):
        response = as_user(owner).post(MEMBERS, body, format="json")
        assert response.status_code == 405, (body, response.content)
        assert "display_name" not in response.json()
    response = as_user(owner).post(INVITE, {"merchant": merchant.pk, "user": resident.pk}, format="json")
    assert response.status_code == 201  # `user` is not an input: this is a code invitation, nobody joined
    assert response.json()["code"] and response.json()["phone"] is None
    assert shop_positions(merchant) == {owner.pk: "owner"}


def test_an_invitation_by_phone_says_nothing_about_whether_the_phone_is_registered(as_user, shop):
    merchant, owner = shop
    factories.make_resident(phone="13700000002", display_name="王阿姨")

    def invite(phone):
        response = as_user(owner).post(INVITE, {"merchant": merchant.pk, "phone": phone}, format="json")
        body = response.json()
        return response.status_code, {
            k: v for k, v in body.items() if k not in ("id", "phone", "created_at", "expires_at")
        }

    registered, unknown = invite("13700000002"), invite("13700000003")
    assert registered[0] == unknown[0] == 201
    assert registered[1] == unknown[1]
    assert registered[1]["responded_by"] is None and "王阿姨" not in str(registered[1])
    listed = as_user(owner).get(INVITE).json()["results"]
    assert [(row["status"], row["responded_by"]) for row in listed] == [("pending", None), ("pending", None)]
    assert shop_positions(merchant) == {owner.pk: "owner"}


@pytest.mark.parametrize("kind", ["superuser", "staff", "doctor", "officer", "community_staff"])
def test_a_privileged_account_cannot_become_a_member_by_phone_or_by_code(as_user, shop, community, kind):
    merchant, owner = shop
    flags = {"superuser": {"is_staff": True, "is_superuser": True}, "staff": {"is_staff": True}}.get(kind, {})
    person = factories.make_resident(phone="13700000009", **flags)
    if kind in ("doctor", "officer", "community_staff"):
        factories.grant(person, Role(kind), community=community)
    invitation = as_user(owner).post(INVITE, {"merchant": merchant.pk, "phone": "13700000009"}, format="json").json()
    refused = as_user(person).post(f"{MINE}{invitation['id']}/accept/")
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "privileged_account"
    code = as_user(owner).post(INVITE, {"merchant": merchant.pk}, format="json").json()["code"]
    by_code = as_user(person).post(f"{MINE}accept-code/", {"code": code}, format="json")
    assert (by_code.status_code, by_code.json()["code"]) == (403, "privileged_account")
    assert shop_positions(merchant) == {owner.pk: "owner"}
    assert as_user(owner).get(f"{INVITE}?status=pending").json()["count"] == 2  # refused, not used up


def test_a_privileged_account_cannot_open_a_shop_either(as_user, community):
    superuser = factories.make_user(is_staff=True, is_superuser=True)
    response = as_user(superuser).post(
        "/api/v1/merchants/applications/",
        {
            "name": "管理员的店",
            "community": community.pk,
            "category": "farm",
            "licence_number": "91330802MA2SUPER1X",
            "contact_name": "管理员",
            "contact_phone": "13700000001",
        },
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "privileged_account")


def test_ownership_is_never_granted_by_invitation_only_by_transfer_to_a_manager(as_user, shop):
    merchant, owner = shop
    owner_invite = as_user(owner).post(
        INVITE, {"merchant": merchant.pk, "phone": "13700000002", "position": "owner"}, format="json"
    )
    assert owner_invite.status_code == 400
    assert list(owner_invite.json()["fields"]) == ["position"]
    assert as_user(owner).get(INVITE).json()["count"] == 0

    manager = add_member(merchant, factories.make_resident(), "manager")
    moved = as_user(owner).post(
        f"/api/v1/merchant/merchants/{merchant.pk}/transfer-ownership/", {"member": manager.pk}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert shop_positions(merchant) == {owner.pk: "manager", manager.user_id: "owner"}
