"""Physiological limits (what a kiosk may report at all) and reference ranges (what is normal).

Limits reject a reading as a device fault; reference ranges interpret an accepted one (H/L/N) and
feed FHIR's `referenceRange`. Abnormal-episode thresholds follow the Chinese guidelines the issue
names: blood pressure ≥ 140/90 mmHg, fasting glucose ≥ 7.0 mmol/L (random ≥ 11.1).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal


# What a human body can show at all; anything outside is a faulty measurement.
LIMITS = {
    "temperature_c": Range(Decimal("34.0"), Decimal("43.0")),
    "systolic_mmhg": Range(Decimal(50), Decimal(260)),
    "diastolic_mmhg": Range(Decimal(30), Decimal(160)),
    "heart_rate_bpm": Range(Decimal(25), Decimal(250)),
    "glucose_mmol_l": Range(Decimal("1.0"), Decimal("35.0")),
}

# Normal (reference) ranges, inclusive.
REFERENCE = {
    "temperature": Range(Decimal("36.0"), Decimal("37.2")),
    "systolic": Range(Decimal(90), Decimal(139)),
    "diastolic": Range(Decimal(60), Decimal(89)),
    "heart_rate": Range(Decimal(60), Decimal(100)),
    "glucose_fasting": Range(Decimal("3.9"), Decimal("6.1")),
    "glucose_random": Range(Decimal("3.9"), Decimal("11.0")),
}

BP_ALERT = (140, 90)
GLUCOSE_ALERT = {"fasting": Decimal("7.0"), "random": Decimal("11.1")}


def interpret(value, reference: Range) -> str:
    value = Decimal(value)
    if value > reference.high:
        return "H"
    if value < reference.low:
        return "L"
    return "N"


def interpret_bp(systolic: int, diastolic: int) -> str:
    codes = {interpret(systolic, REFERENCE["systolic"]), interpret(diastolic, REFERENCE["diastolic"])}
    if "H" in codes:
        return "H"
    if "L" in codes:
        return "L"
    return "N"


def glucose_reference(context: str) -> Range:
    return REFERENCE["glucose_fasting" if context == "fasting" else "glucose_random"]


def bp_alert(systolic: int, diastolic: int) -> bool:
    return systolic >= BP_ALERT[0] or diastolic >= BP_ALERT[1]


def glucose_alert(value, context: str) -> bool:
    return Decimal(value) >= GLUCOSE_ALERT[context]
