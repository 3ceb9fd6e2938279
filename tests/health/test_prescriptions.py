from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import Prescription
from health.tasks import expire_prescriptions
from linli.notifications.models import Notification
from tests.health import factories as health

pytestmark = pytest.mark.django_db

STAFF_URL = "/api/v1/staff/health/consultations/"
URL = "/api/v1/health/prescriptions/"


@pytest.fixture
def drugs():
    return {
        "amoxicillin": health.make_drug(name="阿莫西林胶囊", coverage="A", price_fen=1250),
        "ibuprofen": health.make_drug(name="布洛芬缓释胶囊", coverage="B", price_fen=1880),
        "cough": health.make_drug(name="复方甘草片", coverage="C", price_fen=650),
    }


def _prescribe(client, consultation, drugs, **extra):
    items = [
        {"drug": drugs["amoxicillin"].pk, "quantity": 2, "dosage": "口服 一次2粒 一日3次"},
        {"drug": drugs["cough"].pk, "quantity": 1, "dosage": "口服 一次2片 一日3次"},
    ]
    return client.post(
        f"{STAFF_URL}{consultation.pk}/prescribe/", {"diagnosis": "急性上呼吸道感染", "items": items, **extra}
    )


def test_it_prices_a_prescription_from_the_catalogue_and_splits_covered_drugs(
    as_user, resident, doctor, department, drugs
):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    response = _prescribe(as_user(doctor), consultation, drugs)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_fen"] == 2 * 1250 + 650
    assert body["covered_fen"] == 2 * 1250  # 甲类 only; 丙类 is self-paid
    assert body["self_pay_fen"] == 650
    assert body["status"] == "issued"
    assert [item["coverage"] for item in body["items"]] == ["A", "C"]
    assert Notification.objects.filter(recipient=resident, kind="health.prescription.issued").exists()

    mine = as_user(resident).get(URL).json()
    assert [p["id"] for p in mine["results"]] == [body["id"]]
    assert (
        as_user(resident).get(f"/api/v1/health/consultations/{consultation.pk}/").json()["prescription"] == body["id"]
    )


def test_it_keeps_the_price_the_prescription_was_written_at(as_user, resident, doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    prescription_id = _prescribe(as_user(doctor), consultation, drugs).json()["id"]
    drugs["amoxicillin"].price_fen = 9999
    drugs["amoxicillin"].save()
    assert as_user(resident).get(f"{URL}{prescription_id}/").json()["total_fen"] == 2 * 1250 + 650


def test_it_prescribes_once_per_consultation(as_user, resident, doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    assert _prescribe(as_user(doctor), consultation, drugs).status_code == 201
    again = _prescribe(as_user(doctor), consultation, drugs)
    assert again.status_code == 409
    assert again.json()["code"] == "already_prescribed"


def test_it_lets_only_the_accepting_doctor_prescribe(as_user, resident, doctor, other_doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    # The other doctor no longer sees it at all.
    assert _prescribe(as_user(other_doctor), consultation, drugs).status_code == 404
    waiting = health.make_consultation(resident, department)
    response = _prescribe(as_user(doctor), waiting, drugs)
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_consultation"


def test_it_rejects_a_drug_listed_twice(as_user, resident, doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    item = {"drug": drugs["ibuprofen"].pk, "quantity": 1, "dosage": "口服"}
    response = as_user(doctor).post(
        f"{STAFF_URL}{consultation.pk}/prescribe/", {"diagnosis": "头痛", "items": [item, item]}
    )
    assert response.status_code == 400
    assert not Prescription.objects.exists()


def test_it_expires_a_prescription_after_its_validity(as_user, resident, doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    prescription_id = _prescribe(as_user(doctor), consultation, drugs).json()["id"]
    Prescription.objects.filter(pk=prescription_id).update(valid_until=timezone.now() - timedelta(minutes=1))

    # Shown as expired at once, and marked so by the beat job.
    assert as_user(resident).get(f"{URL}{prescription_id}/").json()["status"] == "expired"
    assert expire_prescriptions() == 1
    assert expire_prescriptions() == 0
    assert Prescription.objects.get(pk=prescription_id).status == "expired"


def test_it_hides_other_residents_prescriptions(as_user, resident, neighbour, doctor, department, drugs):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    prescription_id = _prescribe(as_user(doctor), consultation, drugs).json()["id"]
    assert as_user(neighbour).get(f"{URL}{prescription_id}/").status_code == 404
    assert as_user(neighbour).get(URL).json()["count"] == 0
