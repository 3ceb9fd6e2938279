from health.models.appointments import Appointment, AppointmentHistory, Slot
from health.models.clinics import Clinic, Condition, Department, Drug, HealthCondition, HealthProfile
from health.models.consultations import (
    Consultation,
    ConsultationHistory,
    ConsultationMessage,
    Prescription,
    PrescriptionHistory,
    PrescriptionItem,
)
from health.models.dispensing import Dispense
from health.models.insurance import InsuranceApplication, InsuranceApplicationHistory
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
    "AppointmentHistory",
    "Clinic",
    "Condition",
    "Consultation",
    "ConsultationHistory",
    "ConsultationMessage",
    "Department",
    "Dispense",
    "Drug",
    "HealthCondition",
    "HealthProfile",
    "InsuranceApplication",
    "InsuranceApplicationHistory",
    "Interpretation",
    "KioskSession",
    "PolicyArticle",
    "PolicyRead",
    "Prescription",
    "PrescriptionHistory",
    "PrescriptionItem",
    "Slot",
    "VitalAccessLog",
    "VitalReading",
    "VitalType",
]
