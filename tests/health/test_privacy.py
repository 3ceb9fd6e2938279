"""Who may read vitals: the resident, and a doctor during an open, shared consultation — always logged."""

import logging
import re

import pytest

from health.models import VitalAccessLog
from tests.health import factories as health

pytestmark = pytest.mark.django_db

STAFF_URL = "/api/v1/staff/health/consultations/"
LOG_URL = "/api/v1/health/records/access-log/"


@pytest.fixture
def kiosk(other_community):
    return health.make_kiosk(other_community)


def test_it_lets_the_doctor_read_shared_vitals_and_logs_the_read(as_user, resident, doctor, department):
    health.make_reading(resident, "blood_pressure", systolic=146, diastolic=92, interpretation="H")
    health.make_reading(resident, "heart_rate")
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=True)

    response = as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/", {"type": "blood_pressure"})
    assert response.status_code == 200
    assert [r["systolic"] for r in response.json()["results"]] == [146]

    log = as_user(resident).get(LOG_URL).json()
    assert log["count"] == 1
    entry = log["results"][0]
    assert entry["viewer"] == {"id": doctor.pk, "display_name": "李医生"}
    assert entry["consultation"] == consultation.pk
    assert entry["records"] == 1


def test_it_does_not_log_the_residents_own_reads(as_user, resident):
    health.make_reading(resident)
    client = as_user(resident)
    client.get("/api/v1/health/vitals/")
    client.get("/api/v1/health/vitals/trends/")
    client.get("/api/v1/health/records/fhir/")
    assert not VitalAccessLog.objects.exists()


def test_it_refuses_the_doctor_when_vitals_were_not_shared(as_user, resident, doctor, department):
    health.make_reading(resident)
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=False)
    response = as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/")
    assert response.status_code == 403
    assert response.json()["code"] == "vitals_not_shared"
    assert not VitalAccessLog.objects.exists()


def test_it_refuses_the_doctor_once_the_consultation_is_closed(as_user, resident, doctor, department):
    health.make_reading(resident)
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=True)
    as_user(doctor).post(f"{STAFF_URL}{consultation.pk}/close/", {})
    assert as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/").status_code == 403


def test_it_refuses_a_doctor_who_has_not_accepted(as_user, resident, doctor, department):
    """A waiting consultation is in the doctor's queue, but the vitals open only after accepting."""
    health.make_reading(resident)
    consultation = health.make_consultation(resident, department, share_vitals=True)
    assert as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/").status_code == 403


def test_it_hides_consultations_of_other_doctors(as_user, resident, doctor, other_doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=True)
    assert as_user(other_doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/").status_code == 404


def test_it_keeps_each_residents_access_log_to_themselves(as_user, resident, neighbour, doctor, department):
    health.make_reading(resident)
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=True)
    as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/")
    assert as_user(neighbour).get(LOG_URL).json()["count"] == 0


def test_it_never_writes_health_values_to_the_logs(as_user, resident, neighbour, doctor, department, kiosk, caplog):
    values = {
        "systolic_mmhg": 187,
        "diastolic_mmhg": 113,
        "heart_rate_bpm": 131,
        "temperature_c": "38.7",
        "glucose_mmol_l": "13.9",
        "glucose_context": "random",
    }
    consultation = health.make_consultation(resident, department, doctor=doctor, share_vitals=True)
    with caplog.at_level(logging.DEBUG):
        health.measure(as_user(resident), kiosk, **values)
        doctor_view = as_user(doctor).get(f"{STAFF_URL}{consultation.pk}/vitals/")
        own_view = as_user(resident).get("/api/v1/health/vitals/")
        neighbour_view = as_user(neighbour).get("/api/v1/health/vitals/")
        neighbour_fhir = as_user(neighbour).get("/api/v1/health/records/fhir/")

    assert doctor_view.status_code == 200 and len(doctor_view.json()["results"]) == 4
    assert own_view.json()["count"] == 4
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)
    for secret in ("187", "113", "131", "38.7", "13.9"):
        # As a number of its own: an id or a timestamp's fraction (…:05.187Z) may contain the digits.
        assert not re.search(rf"(?<![\d.]){re.escape(secret)}(?![\d])", logged), secret
    assert neighbour_view.json()["count"] == 0
    observations = [
        entry for entry in neighbour_fhir.json().get("entry", []) if entry["resource"]["resourceType"] == "Observation"
    ]
    assert observations == []
