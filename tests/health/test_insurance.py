import pytest

from linli.accounts.models import Role
from linli.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/insurance-applications/"
STAFF_URL = "/api/v1/staff/health/insurance-applications/"


def _apply(client, **extra):
    body = {"type": "chronic_disease", "details": "高血压多年，申请慢特病待遇认定", **extra}
    return client.post(URL, body)


def test_it_files_an_application_with_my_community(as_user, verified_resident, community, staff):
    attachment = factories.make_upload(verified_resident)
    response = _apply(as_user(verified_resident), attachments=[attachment.pk])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["community"] == {"id": community.pk, "name": community.name}
    assert [a["id"] for a in body["attachments"]] == [attachment.pk]
    assert [h["to_status"] for h in body["history"]] == ["submitted"]
    assert Notification.objects.filter(recipient=staff, kind="health.insurance.submitted").exists()


def test_it_asks_unverified_users_to_verify_first(as_user, resident):
    response = _apply(as_user(resident))
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_resident"


def test_it_asks_which_community_when_verified_in_several(as_user, verified_resident, other_community):
    factories.grant(verified_resident, Role.RESIDENT, community=other_community)
    assert _apply(as_user(verified_resident)).status_code == 400
    chosen = _apply(as_user(verified_resident), community=other_community.pk)
    assert chosen.status_code == 201
    assert chosen.json()["community"]["id"] == other_community.pk


def test_it_refuses_a_community_i_do_not_live_in(as_user, verified_resident, other_community):
    assert _apply(as_user(verified_resident), community=other_community.pk).status_code == 400


def test_it_shows_applications_only_to_the_staff_of_that_community(as_user, verified_resident, staff, other_staff):
    application_id = _apply(as_user(verified_resident)).json()["id"]
    assert as_user(staff).get(STAFF_URL).json()["count"] == 1
    assert as_user(other_staff).get(STAFF_URL).json()["count"] == 0
    assert as_user(other_staff).post(f"{STAFF_URL}{application_id}/approve/", {}).status_code == 404
    assert as_user(verified_resident).get(STAFF_URL).status_code == 403


def test_it_runs_a_request_for_more_information_and_an_approval(as_user, verified_resident, staff):
    resident_client, staff_client = as_user(verified_resident), as_user(staff)
    application_id = _apply(resident_client).json()["id"]

    no_note = staff_client.post(f"{STAFF_URL}{application_id}/request-info/", {})
    assert no_note.status_code == 400
    asked = staff_client.post(f"{STAFF_URL}{application_id}/request-info/", {"note": "请补充近半年的门诊病历"})
    assert asked.json()["status"] == "needs_info"
    assert Notification.objects.filter(recipient=verified_resident, kind="health.insurance.request_info").exists()
    assert staff_client.post(f"{STAFF_URL}{application_id}/approve/", {}).status_code == 409

    record = factories.make_upload(verified_resident)
    again = resident_client.post(f"{URL}{application_id}/resubmit/", {"attachments": [record.pk]})
    assert again.status_code == 200
    assert again.json()["status"] == "submitted"
    assert len(again.json()["attachments"]) == 1
    assert Notification.objects.filter(recipient=staff, kind="health.insurance.resubmitted").exists()

    approved = staff_client.post(f"{STAFF_URL}{application_id}/approve/", {"note": "材料齐全"})
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved" and body["decided_at"]
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [
        ("", "submitted"),
        ("submitted", "needs_info"),
        ("needs_info", "submitted"),
        ("submitted", "approved"),
    ]
    assert body["history"][-1]["actor"]["id"] == staff.pk
    assert Notification.objects.filter(recipient=verified_resident, kind="health.insurance.approve").exists()
    assert staff_client.post(f"{STAFF_URL}{application_id}/reject/", {"note": "重复"}).status_code == 409


def test_it_rejects_with_a_reason(as_user, verified_resident, staff):
    application_id = _apply(as_user(verified_resident)).json()["id"]
    rejected = as_user(staff).post(f"{STAFF_URL}{application_id}/reject/", {"note": "不符合认定条件"})
    assert rejected.json()["status"] == "rejected"
    notice = Notification.objects.get(recipient=verified_resident, kind="health.insurance.reject")
    assert "不符合认定条件" in notice.body


def test_it_keeps_applications_private_between_residents(as_user, verified_resident, neighbour):
    application_id = _apply(as_user(verified_resident)).json()["id"]
    assert as_user(neighbour).get(f"{URL}{application_id}/").status_code == 404
    assert as_user(neighbour).post(f"{URL}{application_id}/resubmit/", {}).status_code == 404
