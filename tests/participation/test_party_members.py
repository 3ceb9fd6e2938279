"""A resident registers as a party member, staff confirm (with history), a 在职党员 reports (报到)."""

import pytest

from participation.models import PartyMember
from tests.participation import party_factories as pf

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/participation/party-members/"
STAFF = "/api/v1/staff/participation/party-members/"


def _body(community, **kw):
    return {
        "community": community.pk,
        "kind": "workplace",
        "organisation": "国网衢州供电公司柯城供电分公司第一党支部",
        "joined_on": "2008-07-01",
        "workplace": "国网衢州供电公司柯城供电分公司",
        **kw,
    }


def test_a_resident_registers_staff_confirm_and_the_member_reports(community, staff, as_user):
    user = pf.resident_of(community)
    created = as_user(user).post(REGISTER, _body(community), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    member_id = created.json()["id"]

    confirmed = as_user(staff).post(f"{STAFF}{member_id}/confirm/", {"note": "组织关系已核实"}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    assert [(h["action"], h["to_status"]) for h in confirmed.json()["history"]] == [
        ("register", "pending"),
        ("confirm", "confirmed"),
    ]

    reported = as_user(user).post(f"{REGISTER}{member_id}/reports/", {"community": community.pk}, format="json")
    assert reported.status_code == 201, reported.content
    (report,) = reported.json()["reports"]
    assert report["community"]["id"] == community.pk
    assert report["workplace"] == "国网衢州供电公司柯城供电分公司"  # the registration's, by default

    again = as_user(user).post(f"{REGISTER}{member_id}/reports/", {"community": community.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reported"
    listed = as_user(staff).get("/api/v1/staff/participation/party-reports/").json()
    assert [r["member"]["id"] for r in listed["results"]] == [member_id]


def test_it_refuses_a_community_the_user_does_not_live_in(community, other_community, as_user):
    user = pf.resident_of(community)
    response = as_user(user).post(REGISTER, _body(other_community), format="json")
    assert response.status_code == 404


def test_it_refuses_a_second_active_registration_and_a_workplace_member_without_workplace(community, as_user):
    user = pf.resident_of(community)
    missing = as_user(user).post(REGISTER, _body(community, workplace=""), format="json")
    assert missing.status_code == 400 and "workplace" in missing.json()["fields"]
    assert as_user(user).post(REGISTER, _body(community), format="json").status_code == 201
    second = as_user(user).post(REGISTER, _body(community, kind="community"), format="json")
    assert second.status_code == 409 and second.json()["code"] == "already_registered"


def test_it_refuses_a_report_before_confirmation_and_from_a_community_member(community, staff, as_user):
    pending = pf.make_member(community)
    response = as_user(pending.user).post(f"{REGISTER}{pending.pk}/reports/", {"community": community.pk})
    assert response.status_code == 409 and response.json()["code"] == "member_not_confirmed"

    local = pf.make_member(community, kind=PartyMember.Kind.COMMUNITY, confirmed_by=staff)
    response = as_user(local.user).post(f"{REGISTER}{local.pk}/reports/", {"community": community.pk})
    assert response.status_code == 409 and response.json()["code"] == "not_workplace_member"


def test_a_rejected_member_may_register_again_and_a_confirmed_one_cannot_be_rejected(community, staff, as_user):
    member = pf.make_member(community)
    rejected = as_user(staff).post(f"{STAFF}{member.pk}/reject/", {"reason": "信息不全"}, format="json")
    assert rejected.json()["status"] == "rejected"
    again = pf.make_member(community, user=member.user, confirmed_by=staff)
    refused = as_user(staff).post(f"{STAFF}{again.pk}/reject/", {"reason": "重复"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"


def test_others_registrations_are_not_found(community, other_community, staff, other_staff, as_user):
    member = pf.make_member(community)
    stranger = pf.resident_of(community)
    assert as_user(stranger).get(f"{REGISTER}{member.pk}/").status_code == 404
    assert as_user(other_staff).post(f"{STAFF}{member.pk}/confirm/").status_code == 404
    assert as_user(member.user).get(STAFF).status_code == 403
    assert as_user(staff).get(STAFF).json()["count"] == 1
