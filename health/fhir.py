"""A resident's vitals as a FHIR R4 `Bundle` of `Observation`s, so records can move to a hospital system.

Codes: LOINC (http://loinc.org) for what was measured, UCUM (http://unitsofmeasure.org) for units,
HL7 v3 ObservationInterpretation for H/L/N, observation-category for vital-signs / laboratory.
The bundle carries the `Patient` and each `Device` it references (by urn:uuid), so it stands alone.
Vital-sign Observations name their profiles in `meta.profile` (vitalsigns and bodytemp / heartrate / bp).
It is served as `application/fhir+json; fhirVersion=4.0` (CONTENT_TYPE).
"""

import uuid
from decimal import Decimal

from django.utils import timezone

from health import ranges
from health.models import VitalReading, VitalType

CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
NAMESPACE = uuid.UUID("6f1c3c1e-5d0a-4d4b-9a55-3b1c0e7d9a10")  # stable ids for the same rows

_INTERPRETATION_DISPLAY = {"H": "High", "L": "Low", "N": "Normal"}

# type → (LOINC code, display, category, UCUM code, unit shown)
CODES = {
    VitalType.TEMPERATURE: ("8310-5", "Body temperature", "vital-signs", "Cel", "°C"),
    VitalType.HEART_RATE: ("8867-4", "Heart rate", "vital-signs", "/min", "beats/minute"),
    VitalType.GLUCOSE: ("15074-8", "Glucose [Moles/volume] in Blood", "laboratory", "mmol/L", "mmol/L"),
    VitalType.BLOOD_PRESSURE: ("85354-9", "Blood pressure panel with all children optional", "vital-signs", "", ""),
    VitalType.ECG: ("11524-6", "EKG study", "procedure", "", ""),
}
# The FHIR R4 vital-signs profiles an Observation conforms to (laboratory and ECG readings have none).
VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
PROFILES = {
    VitalType.TEMPERATURE: [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/bodytemp"],
    VitalType.HEART_RATE: [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/heartrate"],
    VitalType.BLOOD_PRESSURE: [VITAL_SIGNS, "http://hl7.org/fhir/StructureDefinition/bp"],
}
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
MMHG = ("mm[Hg]", "mmHg")


def _urn(kind: str, pk) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{pk}')}"


def _quantity(value, code: str, unit: str) -> dict:
    number = float(value) if isinstance(value, Decimal) else value
    return {"value": number, "unit": unit, "system": UCUM, "code": code}


def _concept(code: str, display: str, text: str | None = None) -> dict:
    concept = {"coding": [{"system": LOINC, "code": code, "display": display}]}
    if text:
        concept["text"] = text
    return concept


def _interpretation(code: str) -> list[dict]:
    return [{"coding": [{"system": INTERPRETATION, "code": code, "display": _INTERPRETATION_DISPLAY[code]}]}]


def _range(reference: ranges.Range, code: str, unit: str) -> list[dict]:
    return [{"low": _quantity(reference.low, code, unit), "high": _quantity(reference.high, code, unit)}]


def observation(reading: VitalReading, *, patient_ref: str) -> dict:
    code, display, category, ucum, unit = CODES[reading.type]
    resource = {"resourceType": "Observation", "id": str(reading.pk)}
    if reading.type in PROFILES:
        resource["meta"] = {"profile": list(PROFILES[reading.type])}
    resource |= {
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": _concept(code, display, reading.get_type_display()),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": timezone.localtime(reading.measured_at).isoformat(),
        "interpretation": _interpretation(reading.interpretation),
    }
    if reading.device_id:
        resource["device"] = {"reference": _urn("device", reading.device_id), "display": reading.device.name}
    if reading.type == VitalType.BLOOD_PRESSURE:
        resource["component"] = [
            {
                "code": _concept(*SYSTOLIC),
                "valueQuantity": _quantity(reading.systolic, *MMHG),
                "interpretation": _interpretation(ranges.interpret(reading.systolic, ranges.REFERENCE["systolic"])),
                "referenceRange": _range(ranges.REFERENCE["systolic"], *MMHG),
            },
            {
                "code": _concept(*DIASTOLIC),
                "valueQuantity": _quantity(reading.diastolic, *MMHG),
                "interpretation": _interpretation(ranges.interpret(reading.diastolic, ranges.REFERENCE["diastolic"])),
                "referenceRange": _range(ranges.REFERENCE["diastolic"], *MMHG),
            },
        ]
    elif reading.type == VitalType.ECG:
        rhythm = reading.ecg_rhythm.replace("_", " ")
        resource["valueString"] = f"{rhythm}; {reading.ecg_summary}" if reading.ecg_summary else rhythm
        if reading.value is not None:
            resource["component"] = [
                {
                    "code": _concept("8867-4", "Heart rate"),
                    "valueQuantity": _quantity(int(reading.value), "/min", "beats/minute"),
                }
            ]
    else:
        value = int(reading.value) if reading.type == VitalType.HEART_RATE else reading.value
        resource["valueQuantity"] = _quantity(value, ucum, unit)
        reference = {
            VitalType.TEMPERATURE: ranges.REFERENCE["temperature"],
            VitalType.HEART_RATE: ranges.REFERENCE["heart_rate"],
        }.get(reading.type) or ranges.glucose_reference(reading.glucose_context)
        resource["referenceRange"] = _range(reference, ucum, unit)
        if reading.type == VitalType.GLUCOSE:
            context = "空腹血糖" if reading.glucose_context == "fasting" else "随机血糖"
            resource["code"]["text"] = context
    return resource


def bundle(resident, readings: list[VitalReading], *, total: int) -> dict:
    patient_ref = _urn("patient", resident.pk)
    patient = {"resourceType": "Patient", "id": str(resident.pk), "active": True}
    if resident.display_name:
        patient["name"] = [{"text": resident.display_name}]
    if resident.birth_date:
        patient["birthDate"] = resident.birth_date.isoformat()
    entries = [{"fullUrl": patient_ref, "resource": patient, "search": {"mode": "include"}}]
    devices = {}
    for reading in readings:
        if reading.device_id and reading.device_id not in devices:
            devices[reading.device_id] = reading.device
    for device in devices.values():
        entries.append(
            {
                "fullUrl": _urn("device", device.pk),
                "resource": {
                    "resourceType": "Device",
                    "id": str(device.pk),
                    "identifier": [{"system": "urn:linli:device", "value": device.code}],
                    "deviceName": [{"name": device.name, "type": "user-friendly-name"}],
                },
                "search": {"mode": "include"},
            }
        )
    for reading in readings:
        entries.append(
            {
                "fullUrl": _urn("observation", reading.pk),
                "resource": observation(reading, patient_ref=patient_ref),
                "search": {"mode": "match"},
            }
        )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": timezone.localtime().isoformat()},
        "type": "searchset",
        "total": total,
        "entry": entries,
    }
