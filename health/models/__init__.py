from health.models.appointments import Appointment, Slot
from health.models.clinics import Clinic, Condition, Department, Drug, HealthCondition, HealthProfile
from health.models.consultations import (
    Consultation,
    ConsultationEvent,
    ConsultationMessage,
    Prescription,
    PrescriptionItem,
)
from health.models.dispensing import Dispense
from health.models.insurance import InsuranceApplication, InsuranceApplicationEvent
from health.models.policies import PolicyArticle, PolicyRead
from health.models.vitals import (
    AbnormalEpisode,
    Interpretation,
    KioskSession,
    VitalAccessLog,
    VitalReading,
    VitalType,
)

__all__ = [
    "AbnormalEpisode",
    "Appointment",
    "Clinic",
    "Condition",
    "Consultation",
    "ConsultationEvent",
    "ConsultationMessage",
    "Department",
    "Dispense",
    "Drug",
    "HealthCondition",
    "HealthProfile",
    "InsuranceApplication",
    "InsuranceApplicationEvent",
    "Interpretation",
    "KioskSession",
    "PolicyArticle",
    "PolicyRead",
    "Prescription",
    "PrescriptionItem",
    "Slot",
    "VitalAccessLog",
    "VitalReading",
    "VitalType",
]
