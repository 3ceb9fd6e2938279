"""A resident applies to open a shop; community staff of that community decide."""

import pytest

from linli.accounts.models import Membership, Role
from linli.notifications.models import Notification
from merchants.models import Merchant, MerchantApplication
from tests.merchants.factories import make_merchant

pytestmark = pytest.mark.django_db
APPLY, STAFF = "/api/v1/merchants/applications/", "/api/v1/staff/merchant-applications/"
LICENCE = "92330802MA2DX8HL5K"


def application_body(community, **kw):
    return {
        "name": "回龙鲜果铺",
        "community": community.pk,
        "category": "fruit_veg",
        "licence_number": "91330802MA2ABCDE1X",
        "contact_name": "李老板",
        "contact_phone": "13905700001",
        "description": "衢州本地水果",
        **kw,
    }


def test_a_resident_applies_and_the_staff_of_that_community_hear_of_it(as_user, resident, community, staff):
    response = as_user(resident).post(APPLY, application_body(community), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert Notification.objects.filter(recipient=staff, kind="market.application_submitted").count() == 1
    assert as_user(resident).get(APPLY).json()["count"] == 1


def test_it_rejects_a_malformed_application(as_user, resident, community):
    response = as_user(resident).post(APPLY, application_body(community, contact_phone="12", licence_number="x"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"contact_phone", "licence_number"}


def test_a_second_pending_application_for_the_same_shop_is_a_conflict(as_user, resident, community):
    as_user(resident).post(APPLY, application_body(community), format="json")
    response = as_user(resident).post(APPLY, application_body(community), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "application_pending"


def test_approving_opens_the_shop_with_the_applicant_as_owner(as_user, resident, community, staff):
    application = as_user(resident).post(APPLY, application_body(community), format="json").json()
    response = as_user(staff).post(f"{STAFF}{application['id']}/approve/", {"note": "资料齐全"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    merchant = Merchant.objects.get(pk=body["merchant"])
    assert (merchant.name, merchant.community_id) == ("回龙鲜果铺", community.pk)
    membership = Membership.objects.get(user=resident, role=Role.MERCHANT_MEMBER)
    assert (membership.scope, membership.position) == (merchant, "owner")
    assert Notification.objects.filter(recipient=resident, kind="market.application_approved").exists()
    again = as_user(staff).post(f"{STAFF}{application['id']}/approve/", {}, format="json")
    assert again.status_code == 409


def test_rejecting_needs_a_reason_and_tells_the_applicant(as_user, resident, community, staff):
    application = as_user(resident).post(APPLY, application_body(community), format="json").json()
    assert as_user(staff).post(f"{STAFF}{application['id']}/reject/", {}, format="json").status_code == 400
    response = as_user(staff).post(f"{STAFF}{application['id']}/reject/", {"note": "执照照片不清晰"}, format="json")
    assert response.json()["status"] == "rejected"
    assert not Merchant.objects.exists()
    assert Notification.objects.get(recipient=resident, kind="market.application_rejected").body.endswith(
        "执照照片不清晰"
    )


def test_staff_of_another_community_cannot_see_or_decide(as_user, resident, community, other_staff):
    application = as_user(resident).post(APPLY, application_body(community), format="json").json()
    assert as_user(other_staff).get(STAFF).json()["count"] == 0
    assert as_user(other_staff).get(f"{STAFF}{application['id']}/").status_code == 404
    assert as_user(other_staff).post(f"{STAFF}{application['id']}/approve/", {}, format="json").status_code == 404
    assert MerchantApplication.objects.get().status == "pending"


def test_a_resident_cannot_use_the_staff_api(as_user, resident, community):
    application = as_user(resident).post(APPLY, application_body(community), format="json").json()
    assert as_user(resident).post(f"{STAFF}{application['id']}/approve/", {}, format="json").status_code == 404


def test_a_licence_of_a_suspended_shop_may_open_again(as_user, resident, community, staff):
    make_merchant(community, name="回龙市集", licence_number=LICENCE, status=Merchant.Status.SUSPENDED)
    application = as_user(resident).post(APPLY, application_body(community, licence_number=LICENCE), format="json")
    assert application.status_code == 201, application.content
    approved = as_user(staff).post(f"{STAFF}{application.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.content
