"""The FHIR R4 export: a Bundle whose Observations have the shape hospital systems expect."""

from decimal import Decimal

import pytest

from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/records/fhir/"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def _assert_r4_observation(resource, patient_url):
    assert resource["resourceType"] == "Observation"
    assert resource["status"] in {"registered", "preliminary", "final", "amended"}
    assert resource["code"]["coding"][0]["system"] == LOINC
    assert resource["code"]["coding"][0]["code"]
    assert resource["subject"] == {"reference": patient_url}
    assert resource["effectiveDateTime"][10] == "T" and resource["effectiveDateTime"].endswith("+08:00")
    assert resource["category"][0]["coding"][0]["system"].startswith("http://terminology.hl7.org/CodeSystem/")
    assert resource["interpretation"][0]["coding"][0]["code"] in {"H", "L", "N"}
    quantities = [resource["valueQuantity"]] if "valueQuantity" in resource else []
    quantities += [c["valueQuantity"] for c in resource.get("component", [])]
    assert quantities or "valueString" in resource
    for quantity in quantities:
        assert quantity["system"] == UCUM
        assert isinstance(quantity["value"], (int, float))
        assert quantity["code"]


@pytest.fixture
def kiosk(other_community):
    return health.make_kiosk(other_community, name="博爱幸福驿站健康自助机")


def test_it_exports_vitals_as_a_bundle_of_r4_observations(as_user, resident, kiosk):
    health.make_reading(resident, "blood_pressure", systolic=152, diastolic=88, interpretation="H", device=kiosk)
    health.make_reading(resident, "temperature", value=Decimal("36.8"), device=kiosk)
    health.make_reading(resident, "heart_rate", value=Decimal(58), interpretation="L", device=kiosk)
    health.make_reading(resident, "glucose", value=Decimal("7.4"), glucose_context="fasting", interpretation="H")
    health.make_reading(resident, "ecg", device=kiosk)

    bundle = as_user(resident).get(URL).json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 5
    by_type = {}
    for entry in bundle["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry)
    assert len(by_type["Patient"]) == 1 and len(by_type["Device"]) == 1
    patient_url = by_type["Patient"][0]["fullUrl"]
    device_url = by_type["Device"][0]["fullUrl"]
    observations = {e["resource"]["code"]["coding"][0]["code"]: e["resource"] for e in by_type["Observation"]}
    for resource in observations.values():
        _assert_r4_observation(resource, patient_url)

    bp = observations["85354-9"]
    assert bp["category"][0]["coding"][0]["code"] == "vital-signs"
    assert bp["device"]["reference"] == device_url
    components = {c["code"]["coding"][0]["code"]: c for c in bp["component"]}
    assert components["8480-6"]["valueQuantity"] == {"value": 152, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}
    assert components["8480-6"]["interpretation"][0]["coding"][0]["code"] == "H"
    assert components["8462-4"]["valueQuantity"]["value"] == 88
    assert components["8462-4"]["referenceRange"][0]["high"]["value"] == 89
    assert bp["interpretation"][0]["coding"][0]["code"] == "H"

    temperature = observations["8310-5"]
    assert temperature["valueQuantity"] == {"value": 36.8, "unit": "°C", "system": UCUM, "code": "Cel"}
    assert temperature["referenceRange"][0]["low"]["value"] == 36.0

    heart_rate = observations["8867-4"]
    assert heart_rate["valueQuantity"]["code"] == "/min"
    assert heart_rate["interpretation"][0]["coding"][0]["code"] == "L"

    glucose = observations["15074-8"]
    assert glucose["category"][0]["coding"][0]["code"] == "laboratory"
    assert glucose["valueQuantity"]["code"] == "mmol/L"
    assert glucose["valueQuantity"]["value"] == 7.4
    assert glucose["referenceRange"][0]["high"]["value"] == 6.1
    assert "device" not in glucose

    ecg = observations["11524-6"]
    assert "sinus" in ecg["valueString"]


def test_it_filters_the_bundle_by_type(as_user, resident):
    health.make_reading(resident, "blood_pressure")
    health.make_reading(resident, "heart_rate")
    bundle = as_user(resident).get(URL, {"type": "heart_rate"}).json()
    assert bundle["total"] == 1
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "Observation"]


VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns"


def test_it_answers_with_the_fhir_r4_media_type(as_user, resident):
    health.make_reading(resident, "temperature", value=Decimal("36.6"))
    response = as_user(resident).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    assert response.json()["resourceType"] == "Bundle"


def test_it_serves_a_client_that_asks_for_fhir(as_user, resident):
    response = as_user(resident).get(URL, HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"


def test_it_keeps_errors_in_the_json_envelope(as_user, resident):
    response = as_user(resident).get(URL, {"from": "not a time"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "validation_error"


def test_it_names_the_vital_signs_profiles_of_vital_sign_observations(as_user, resident):
    health.make_reading(resident, "blood_pressure", systolic=128, diastolic=82)
    health.make_reading(resident, "temperature", value=Decimal("36.8"))
    health.make_reading(resident, "heart_rate", value=Decimal(72))
    health.make_reading(resident, "glucose", value=Decimal("5.4"), glucose_context="fasting")
    health.make_reading(resident, "ecg")

    bundle = as_user(resident).get(URL).json()
    observations = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    profiles = {code: resource.get("meta", {}).get("profile") for code, resource in observations.items()}
    assert profiles == {
        "85354-9": [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/bp"],
        "8310-5": [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/bodytemp"],
        "8867-4": [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/heartrate"],
        "15074-8": None,  # laboratory, not a vital sign
        "11524-6": None,  # an EKG study
    }
    for code in ("85354-9", "8310-5", "8867-4"):
        assert observations[code]["category"][0]["coding"][0]["code"] == "vital-signs"
