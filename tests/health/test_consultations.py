import pytest

from health.models import Consultation, ConsultationHistory
from linli.notifications.models import Notification
from tests import factories
from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/consultations/"
STAFF_URL = "/api/v1/staff/health/consultations/"


def test_it_lets_a_resident_ask_a_department_with_their_own_photos(as_user, resident, department):
    photo = factories.make_upload(resident)
    response = as_user(resident).post(
        URL, {"department": department.pk, "symptoms": "头晕乏力", "photos": [photo.pk], "share_vitals": True}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "waiting"
    assert body["doctor"] is None
    assert body["share_vitals"] is True
    assert [p["id"] for p in body["photos"]] == [photo.pk]
    assert ConsultationHistory.objects.filter(consultation_id=body["id"], to_status="waiting").exists()


def test_it_refuses_someone_elses_photo(as_user, resident, neighbour, department):
    photo = factories.make_upload(neighbour)
    response = as_user(resident).post(URL, {"department": department.pk, "symptoms": "咳嗽", "photos": [photo.pk]})
    assert response.status_code == 400
    assert "photos" in response.json()["fields"]


def test_it_hides_other_residents_consultations(as_user, resident, neighbour, department):
    theirs = health.make_consultation(neighbour, department)
    client = as_user(resident)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}{theirs.pk}/messages/").status_code == 404


def test_it_shows_doctors_the_waiting_queue_of_their_departments_only(
    as_user, resident, doctor, outside_doctor, department
):
    consultation = health.make_consultation(resident, department)
    mine = as_user(doctor).get(STAFF_URL, {"status": "waiting"}).json()
    assert [c["id"] for c in mine["results"]] == [consultation.pk]
    assert mine["results"][0]["resident"]["display_name"] == "张大爷"
    assert as_user(outside_doctor).get(STAFF_URL).json()["count"] == 0
    assert as_user(outside_doctor).get(f"{STAFF_URL}{consultation.pk}/").status_code == 404


def test_it_forbids_the_staff_side_to_residents(as_user, resident):
    assert as_user(resident).get(STAFF_URL).status_code == 403


def test_it_lets_the_first_doctor_accept_and_tells_the_resident(as_user, resident, doctor, other_doctor, department):
    consultation = health.make_consultation(resident, department)
    response = as_user(doctor).post(f"{STAFF_URL}{consultation.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["doctor"]["id"] == doctor.pk

    second = as_user(other_doctor).post(f"{STAFF_URL}{consultation.pk}/accept/")
    # Once accepted it is no longer in the other doctor's queue.
    assert second.status_code == 404
    assert Notification.objects.filter(recipient=resident, kind="health.consultation.accepted").count() == 1
    assert ConsultationHistory.objects.filter(consultation=consultation, action="accept").count() == 1


def test_it_answers_409_when_the_consultation_was_taken_meanwhile(resident, doctor, other_doctor, department):
    from health.services.consultations import AlreadyAccepted, consultation_accept

    consultation = health.make_consultation(resident, department)
    stale = Consultation.objects.get(pk=consultation.pk)
    consultation_accept(consultation=consultation, doctor=doctor)
    with pytest.raises(AlreadyAccepted):
        consultation_accept(consultation=stale, doctor=other_doctor)
    assert Consultation.objects.get(pk=consultation.pk).doctor == doctor


def test_it_carries_messages_both_ways(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    sent = as_user(resident).post(f"{URL}{consultation.pk}/messages/", {"body": "今天早上量体温 38 度"})
    assert sent.status_code == 201
    assert sent.json()["sender_role"] == "resident"
    reply = as_user(doctor).post(f"{STAFF_URL}{consultation.pk}/messages/", {"body": "多喝水，注意休息"})
    assert reply.status_code == 201
    assert reply.json()["sender_role"] == "doctor"

    thread = as_user(resident).get(f"{URL}{consultation.pk}/messages/").json()
    assert [m["body"] for m in thread["results"]] == ["今天早上量体温 38 度", "多喝水，注意休息"]
    assert Notification.objects.filter(recipient=doctor, kind="health.consultation.message").exists()
    assert Notification.objects.filter(recipient=resident, kind="health.consultation.message").exists()


def test_it_stops_messages_after_closing(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    closed = as_user(doctor).post(f"{STAFF_URL}{consultation.pk}/close/", {"note": "已给出建议"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    late = as_user(resident).post(f"{URL}{consultation.pk}/messages/", {"body": "还有一个问题"})
    assert late.status_code == 409
    assert late.json()["code"] == "invalid_transition"


def test_it_lets_the_resident_close_and_rate_once(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    client = as_user(resident)
    early = client.post(f"{URL}{consultation.pk}/rate/", {"rating": 5})
    assert early.status_code == 409
    assert client.post(f"{URL}{consultation.pk}/close/", {}).json()["status"] == "closed"
    rated = client.post(f"{URL}{consultation.pk}/rate/", {"rating": 5, "comment": "李医生很耐心"})
    assert rated.status_code == 200
    assert rated.json()["rating"] == 5
    again = client.post(f"{URL}{consultation.pk}/rate/", {"rating": 1})
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"


def test_it_rejects_a_rating_out_of_range(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor, status="closed")
    assert as_user(resident).post(f"{URL}{consultation.pk}/rate/", {"rating": 6}).status_code == 400


def test_it_lets_a_resident_withdraw_a_waiting_consultation(as_user, resident, department):
    consultation = health.make_consultation(resident, department)
    response = as_user(resident).post(f"{URL}{consultation.pk}/close/", {})
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    closing = ConsultationHistory.objects.get(consultation=consultation, action="close")
    assert (closing.from_status, closing.to_status, closing.actor) == ("waiting", "closed", resident)
    again = as_user(resident).post(f"{URL}{consultation.pk}/close/", {})
    assert again.status_code == 409
