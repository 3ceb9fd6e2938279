"""A shop's members, by consent: invitations by phone or code, accepted or declined by the invited
person, withdrawn by the shop, expiring; leaving, removal, positions and the transfer of ownership."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.notifications.models import Notification
from merchants import services
from merchants.models import MerchantInvitation
from tests import factories
from tests.merchants.factories import add_member, make_owner

pytestmark = pytest.mark.django_db

INVITE, MINE, MEMBERS = "/api/v1/merchant/invitations/", "/api/v1/merchants/invitations/", "/api/v1/merchant/members/"
ACCEPT_CODE = f"{MINE}accept-code/"


@pytest.fixture
def shop(community):
    merchant, owner = make_owner(community)
    return merchant, owner


def positions(merchant):
    return dict(
        Membership.objects.filter(role=Role.MERCHANT_MEMBER, scope_id=merchant.pk).values_list("user_id", "position")
    )


def invite(as_user, merchant, by, **body):
    return as_user(by).post(INVITE, {"merchant": merchant.pk, **body}, format="json")


# --- inviting by phone ---------------------------------------------------------------------------


def test_the_invited_phone_holder_sees_the_invitation_accepts_and_joins(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident(phone="13700001111")
    response = invite(as_user, merchant, owner, phone="13700001111")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["position"], body["kind"], body["code"]) == ("pending", "staff", "phone", None)
    assert positions(merchant) == {owner.pk: "owner"}  # nothing yet: only acceptance makes a member

    waiting = as_user(clerk).get(MINE).json()["results"]
    assert [(i["id"], i["merchant"]["name"], i["position"]) for i in waiting] == [(body["id"], merchant.name, "staff")]
    assert Notification.objects.filter(recipient=clerk, kind="market.invitation_received").count() == 1

    accepted = as_user(clerk).post(f"{MINE}{body['id']}/accept/")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["position"] == "staff"
    assert positions(merchant) == {owner.pk: "owner", clerk.pk: "staff"}
    assert [m["id"] for m in as_user(clerk).get("/api/v1/merchant/merchants/").json()["results"]] == [merchant.pk]
    assert as_user(clerk).get(MINE).json()["count"] == 0
    invitation = MerchantInvitation.objects.get()
    assert (invitation.status, invitation.user, invitation.responded_at is not None) == ("accepted", clerk, True)
    assert list(invitation.history.values_list("action", "from_status", "to_status")) == [
        ("invite", "", "pending"),
        ("accept", "pending", "accepted"),
    ]
    assert Notification.objects.filter(recipient=owner, kind="market.invitation_accepted").exists()
    shop_view = as_user(owner).get(f"{INVITE}{body['id']}/").json()
    assert (shop_view["status"], shop_view["responded_by"], shop_view["phone"]) == (
        "accepted",
        clerk.display_name,
        "137****1111",
    )


def test_a_phone_registered_after_the_invitation_finds_it_waiting(as_user, shop):
    merchant, owner = shop
    invite(as_user, merchant, owner, phone="13700002222")
    newcomer = factories.make_resident()
    assert as_user(newcomer).get(MINE).json()["count"] == 0
    newcomer.phone = "13700002222"
    newcomer.save(update_fields=["phone"])
    assert as_user(newcomer).get(MINE).json()["count"] == 1


def test_declining_makes_no_member_and_the_shop_sees_it(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident(phone="13700001111")
    invitation = invite(as_user, merchant, owner, phone="13700001111").json()
    assert as_user(clerk).post(f"{MINE}{invitation['id']}/decline/").status_code == 204
    assert positions(merchant) == {owner.pk: "owner"}
    assert as_user(owner).get(f"{INVITE}{invitation['id']}/").json()["status"] == "declined"
    again = as_user(clerk).post(f"{MINE}{invitation['id']}/accept/")
    assert again.status_code == 404  # no longer waiting for me


def test_an_invitation_to_someone_elses_phone_is_404_to_me(as_user, shop):
    merchant, owner = shop
    factories.make_resident(phone="13700001111")
    stranger = factories.make_resident(phone="13700009999")
    invitation = invite(as_user, merchant, owner, phone="13700001111").json()
    assert as_user(stranger).get(MINE).json()["count"] == 0
    assert as_user(stranger).get(f"{MINE}{invitation['id']}/").status_code == 404
    assert as_user(stranger).post(f"{MINE}{invitation['id']}/accept/").status_code == 404
    assert as_user(stranger).post(f"{MINE}{invitation['id']}/decline/").status_code == 404
    assert MerchantInvitation.objects.get().status == "pending"


def test_a_second_pending_invitation_to_the_same_phone_is_a_conflict(as_user, shop):
    merchant, owner = shop
    invite(as_user, merchant, owner, phone="13700001111")
    again = invite(as_user, merchant, owner, phone="13700001111")
    assert again.status_code == 409
    assert again.json()["code"] == "invitation_pending"


def test_it_rejects_malformed_invitations(as_user, shop):
    merchant, owner = shop
    response = invite(as_user, merchant, owner, phone="12345", position="boss")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"phone", "position"}
    assert not MerchantInvitation.objects.exists()


# --- codes ---------------------------------------------------------------------------------------


def test_a_code_is_shown_once_and_joins_whoever_has_it_once(as_user, shop):
    merchant, owner = shop
    created = invite(as_user, merchant, owner, position="manager")
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert len(code) == 10
    assert as_user(owner).get(f"{INVITE}{created.json()['id']}/").json()["code"] is None
    assert code not in str(MerchantInvitation.objects.values_list().get())  # stored only as a digest

    first, second = factories.make_resident(), factories.make_resident()
    joined = as_user(first).post(ACCEPT_CODE, {"code": code.lower()}, format="json")
    assert joined.status_code == 201, joined.content
    assert joined.json()["position"] == "manager"
    used = as_user(second).post(ACCEPT_CODE, {"code": code}, format="json")
    assert used.status_code == 400
    assert list(used.json()["fields"]) == ["code"]
    assert positions(merchant) == {owner.pk: "owner", first.pk: "manager"}


def test_an_unknown_code_is_a_400_on_the_code(as_user, resident):
    response = as_user(resident).post(ACCEPT_CODE, {"code": "ABCDEFGHJK"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["code"] == ["邀请码无效或已失效"]


def test_a_member_using_a_code_again_is_told_so_and_the_code_stays_usable(as_user, shop):
    merchant, owner = shop
    code = invite(as_user, merchant, owner).json()["code"]
    response = as_user(owner).post(ACCEPT_CODE, {"code": code}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert MerchantInvitation.objects.get().status == "pending"


# --- withdrawing and expiry ---------------------------------------------------------------------


def test_the_shop_withdraws_a_pending_invitation_and_it_can_no_longer_be_used(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident(phone="13700001111")
    invitation = invite(as_user, merchant, owner, phone="13700001111").json()
    code = invite(as_user, merchant, owner).json()
    for pk in (invitation["id"], code["id"]):
        revoked = as_user(owner).post(f"{INVITE}{pk}/revoke/")
        assert revoked.status_code == 200
        assert revoked.json()["status"] == "revoked"
    assert as_user(clerk).post(f"{MINE}{invitation['id']}/accept/").status_code == 404
    assert as_user(clerk).post(ACCEPT_CODE, {"code": code["code"]}, format="json").status_code == 400
    again = as_user(owner).post(f"{INVITE}{invitation['id']}/revoke/")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert positions(merchant) == {owner.pk: "owner"}


def test_an_expired_invitation_is_refused_and_marked_expired(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident(phone="13700001111")
    invitation = invite(as_user, merchant, owner, phone="13700001111").json()
    code = invite(as_user, merchant, owner).json()
    MerchantInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert as_user(clerk).get(MINE).json()["count"] == 0
    refused = services.merchant_invitation_accept
    with pytest.raises(services.InvitationExpired):
        refused(invitation=MerchantInvitation.objects.get(pk=invitation["id"]), user=clerk)
    assert MerchantInvitation.objects.get(pk=invitation["id"]).status == "expired"
    by_code = as_user(clerk).post(ACCEPT_CODE, {"code": code["code"]}, format="json")
    assert by_code.status_code == 400
    assert MerchantInvitation.objects.get(pk=code["id"]).status == "expired"
    assert positions(merchant) == {owner.pk: "owner"}


def test_the_periodic_job_expires_what_is_past_due_once(as_user, shop):
    from linli.celery import app
    from merchants.tasks import expire_invitations

    assert app.conf.beat_schedule["merchants.expire_invitations"]["task"] == expire_invitations.name
    merchant, owner = shop
    invite(as_user, merchant, owner, phone="13700001111")
    fresh = invite(as_user, merchant, owner, phone="13700002222").json()
    MerchantInvitation.objects.exclude(pk=fresh["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_invitations.delay().get() == 1
    assert expire_invitations.delay().get() == 0
    assert dict(MerchantInvitation.objects.values_list("phone", "status")) == {
        "13700001111": "expired",
        "13700002222": "pending",
    }
    assert invite(as_user, merchant, owner, phone="13700001111").status_code == 201  # may invite again


# --- who may invite -------------------------------------------------------------------------------


def test_a_manager_invites_staff_but_not_managers_and_staff_invite_nobody(as_user, shop):
    merchant, _owner = shop
    manager, clerk = factories.make_resident(), factories.make_resident()
    add_member(merchant, manager, "manager")
    add_member(merchant, clerk, "staff")
    assert invite(as_user, merchant, manager, phone="13700001111").status_code == 201
    assert invite(as_user, merchant, manager, phone="13700002222", position="manager").status_code == 403
    assert invite(as_user, merchant, clerk, phone="13700003333").status_code == 403
    assert as_user(clerk).get(INVITE).json()["count"] == 0
    assert as_user(manager).get(INVITE).json()["count"] == 1


# --- leaving, removing, positions -------------------------------------------------------------------


def test_a_member_leaves_by_removing_their_own_membership(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident()
    membership = add_member(merchant, clerk)
    assert as_user(clerk).delete(f"{MEMBERS}{membership.pk}/").status_code == 204
    assert positions(merchant) == {owner.pk: "owner"}


def test_the_owner_cannot_leave_before_transferring(as_user, shop):
    _merchant, owner = shop
    mine = Membership.objects.get(user=owner, role=Role.MERCHANT_MEMBER)
    response = as_user(owner).delete(f"{MEMBERS}{mine.pk}/")
    assert (response.status_code, response.json()["code"]) == (409, "owner_cannot_leave")


def test_the_owner_removes_members_and_a_manager_removes_only_staff(as_user, shop):
    merchant, owner = shop
    manager, other_manager, clerk = (factories.make_resident() for _ in range(3))
    add_member(merchant, manager, "manager")
    other = add_member(merchant, other_manager, "manager")
    staff_membership = add_member(merchant, clerk, "staff")
    owner_membership = Membership.objects.get(user=owner, role=Role.MERCHANT_MEMBER)
    assert as_user(manager).delete(f"{MEMBERS}{other.pk}/").status_code == 403
    assert as_user(manager).delete(f"{MEMBERS}{owner_membership.pk}/").status_code == 403
    assert as_user(manager).delete(f"{MEMBERS}{staff_membership.pk}/").status_code == 204
    assert as_user(owner).delete(f"{MEMBERS}{other.pk}/").status_code == 204
    assert positions(merchant) == {owner.pk: "owner", manager.pk: "manager"}


def test_a_member_cannot_remove_the_owner(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident()
    add_member(merchant, clerk)
    owner_membership = Membership.objects.get(user=owner, role=Role.MERCHANT_MEMBER)
    response = as_user(clerk).delete(f"{MEMBERS}{owner_membership.pk}/")
    assert response.status_code == 403
    assert positions(merchant)[owner.pk] == "owner"


def test_the_owner_changes_positions_but_never_makes_an_owner(as_user, shop):
    merchant, owner = shop
    clerk = factories.make_resident()
    membership = add_member(merchant, clerk)
    promoted = as_user(owner).patch(f"{MEMBERS}{membership.pk}/", {"position": "manager"}, format="json")
    assert promoted.status_code == 200, promoted.content
    assert promoted.json()["position"] == "manager"
    assert as_user(owner).patch(f"{MEMBERS}{membership.pk}/", {"position": "owner"}, format="json").status_code == 400
    assert as_user(clerk).patch(f"{MEMBERS}{membership.pk}/", {"position": "staff"}, format="json").status_code == 403
    assert positions(merchant) == {owner.pk: "owner", clerk.pk: "manager"}


# --- transferring the shop ----------------------------------------------------------------------------


def transfer(as_user, merchant, by, member_id):
    return as_user(by).post(
        f"/api/v1/merchant/merchants/{merchant.pk}/transfer-ownership/", {"member": member_id}, format="json"
    )


def test_the_owner_transfers_the_shop_to_a_manager_and_stays_as_manager(as_user, shop):
    merchant, owner = shop
    heir = factories.make_resident()
    membership = add_member(merchant, heir, "manager")
    response = transfer(as_user, merchant, owner, membership.pk)
    assert response.status_code == 200, response.content
    assert response.json()["position"] == "owner"
    assert positions(merchant) == {owner.pk: "manager", heir.pk: "owner"}
    assert Notification.objects.filter(recipient=heir, kind="market.ownership_transferred").exists()
    # The new owner now decides; the old one no longer can.
    assert transfer(as_user, merchant, owner, membership.pk).status_code == 403


def test_the_shop_goes_only_to_a_manager_of_it(as_user, shop, community):
    merchant, owner = shop
    clerk = add_member(merchant, factories.make_resident(), "staff")
    elsewhere, _ = make_owner(community)
    outsider = add_member(elsewhere, factories.make_resident(), "manager")
    for member in (clerk.pk, outsider.pk, 10**12):
        response = transfer(as_user, merchant, owner, member)
        assert response.status_code == 400, member
        assert list(response.json()["fields"]) == ["member"]
    assert positions(merchant)[owner.pk] == "owner"


def test_only_the_owner_transfers(as_user, shop):
    merchant, owner = shop
    manager = add_member(merchant, factories.make_resident(), "manager")
    other = add_member(merchant, factories.make_resident(), "manager")
    assert transfer(as_user, merchant, manager.user, other.pk).status_code == 403
    assert positions(merchant)[owner.pk] == "owner"
