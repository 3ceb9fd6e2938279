"""Quality-gate registrations for the health endpoints (see tests/quality/registry.py)."""

from datetime import time

from health.models import (
    Consultation,
    ConsultationMessage,
    HealthProfile,
    InsuranceApplication,
    PolicyArticle,
    PolicyRead,
    Prescription,
    PrescriptionItem,
    VitalAccessLog,
)
from linli.accounts.models import Role
from tests import factories
from tests.health import factories as health
from tests.support.personas import Persona


def doctor_persona(community) -> Persona:
    """A doctor of a department of a clinic in the community."""
    department = health.make_department(health.make_clinic(community))
    return Persona("doctor", health.make_doctor(department), community)


def _department_of(persona):
    from health.selectors import doctor_departments

    return doctor_departments(persona.user).first()


def _patient(persona):
    user = factories.make_resident()
    factories.grant(user, Role.RESIDENT, community=persona.community)
    return user


def _one_consultation(persona, **kw) -> Consultation:
    """The same consultation on every call (nested lists need stable path parameters)."""
    existing = Consultation.objects.filter(resident=persona.user).first()
    return existing or health.make_consultation(persona.user, **kw)


def _one_doctor_consultation(persona) -> Consultation:
    existing = Consultation.objects.filter(doctor=persona.user).first()
    return existing or health.make_consultation(
        _patient(persona), _department_of(persona), doctor=persona.user, share_vitals=True
    )


def _prescription(resident, doctor=None, department=None) -> Prescription:
    doctor = doctor or health.make_doctor(department or health.make_department())
    consultation = health.make_consultation(resident, department, doctor=doctor)
    from django.utils import timezone

    prescription = Prescription.objects.create(
        consultation=consultation,
        resident=resident,
        doctor=doctor,
        diagnosis="高血压",
        valid_until=timezone.now() + timezone.timedelta(days=3),
        total_fen=3260,
        covered_fen=3260,
    )
    PrescriptionItem.objects.create(
        prescription=prescription,
        drug=health.make_drug(),
        quantity=1,
        dosage="口服 一次1片 一日1次",
        unit_price_fen=3260,
        coverage="B",
    )
    return prescription


def _application(resident, community) -> InsuranceApplication:
    application = InsuranceApplication.objects.create(
        applicant=resident, community=community, type="reimbursement", details="门诊票据报销"
    )
    application.attachments.add(factories.make_upload(resident))
    application.history.create(actor=resident, action="submit", to_status="submitted")
    return application


def _article(community, **kw) -> PolicyArticle:
    from django.utils import timezone

    fields = {"title": "政策", "body": "正文", "status": "published", "published_at": timezone.now(), **kw}
    return PolicyArticle.objects.create(community=community, **fields)


# --- list makers: maker(persona, n) -----------------------------------------------------------


def make_departments(persona, n):
    clinic = health.make_clinic(persona.community)
    for _ in range(n):
        health.make_department(clinic)


def make_drugs(persona, n):
    for _ in range(n):
        health.make_drug()


def make_my_consultations(persona, n):
    department = health.make_department()
    doctor = health.make_doctor(department)
    for _ in range(n):
        consultation = health.make_consultation(persona.user, department, doctor=doctor)
        consultation.photos.add(factories.make_upload(persona.user))


def make_my_messages(persona, n):
    consultation = _one_consultation(persona)
    for _ in range(n):
        ConsultationMessage.objects.create(
            consultation=consultation, sender=persona.user, sender_role="resident", body="你好"
        )
    return {"id": consultation.pk}


def make_my_prescriptions(persona, n):
    department = health.make_department()
    doctor = health.make_doctor(department)
    for _ in range(n):
        _prescription(persona.user, doctor, department)


def make_slots(persona, n):
    department = health.make_department(health.make_clinic(persona.community))
    for index in range(n):
        health.make_slot(department, days_ahead=1 + index // 8, at=time(8 + index % 8))


def make_my_appointments(persona, n):
    from health.models import Appointment

    department = health.make_department()
    for index in range(n):
        slot = health.make_slot(department, days_ahead=1 + index // 8, at=time(8 + index % 8))
        Appointment.objects.create(slot=slot, resident=persona.user)


def make_my_vitals(persona, n):
    kiosk = health.make_kiosk(persona.community)
    for index in range(n):
        health.make_reading(persona.user, "blood_pressure", hours_ago=index + 1, device=kiosk)


def make_my_access_log(persona, n):
    doctor = health.make_doctor(health.make_department())
    for _ in range(n):
        VitalAccessLog.objects.create(resident=persona.user, viewer=doctor, purpose="consultation", records=3)


def make_my_applications(persona, n):
    for _ in range(n):
        _application(persona.user, persona.community)


def make_policies_for_me(persona, n):
    for _ in range(n):
        _article(persona.community)


def make_doctor_queue(persona, n):
    department = _department_of(persona)
    for _ in range(n):
        consultation = health.make_consultation(_patient(persona), department)
        consultation.photos.add(factories.make_upload(consultation.resident))


def make_doctor_messages(persona, n):
    consultation = _one_doctor_consultation(persona)
    for _ in range(n):
        ConsultationMessage.objects.create(
            consultation=consultation, sender=persona.user, sender_role="doctor", body="好"
        )
    return {"id": consultation.pk}


def make_patient_vitals(persona, n):
    consultation = _one_doctor_consultation(persona)
    kiosk = health.make_kiosk(persona.community)
    for index in range(n):
        health.make_reading(consultation.resident, "heart_rate", hours_ago=index + 1, device=kiosk)
    return {"id": consultation.pk}


def make_review_queue(persona, n):
    for _ in range(n):
        _application(_patient(persona), persona.community)


def make_staff_policies(persona, n):
    reader = _patient(persona)
    for _ in range(n):
        PolicyRead.objects.create(article=_article(persona.community), reader=reader)


# --- detail makers: maker(persona) -> path parameters ----------------------------------------


def my_consultation(persona):
    consultation = _one_consultation(persona)
    consultation.photos.add(factories.make_upload(persona.user))
    return {"id": consultation.pk}


def my_prescription(persona):
    return {"id": _prescription(persona.user).pk}


def my_appointment(persona):
    from health.models import Appointment

    return {"id": Appointment.objects.create(slot=health.make_slot(), resident=persona.user).pk}


def my_vitals(persona):
    kiosk = health.make_kiosk(persona.community)
    for vital_type in ("blood_pressure", "heart_rate", "glucose", "temperature", "ecg"):
        health.make_reading(persona.user, vital_type, device=kiosk)
    return {}


def my_application(persona):
    return {"id": _application(persona.user, persona.community).pk}


def policy_for_me(persona):
    return {"id": _article(persona.community).pk}


def doctor_consultation(persona):
    return {"id": _one_doctor_consultation(persona).pk}


def application_to_review(persona):
    return {"id": _application(_patient(persona), persona.community).pk}


def staff_policy(persona):
    article = _article(persona.community)
    PolicyRead.objects.create(article=article, reader=_patient(persona))
    return {"id": article.pk}


PERSONAS = {"doctor": doctor_persona}

LIST_DATA = {
    "/api/v1/health/departments/": ("resident", make_departments),
    "/api/v1/health/drugs/": ("resident", make_drugs),
    "/api/v1/health/consultations/": ("resident", make_my_consultations),
    "/api/v1/health/consultations/{id}/messages/": ("resident", make_my_messages),
    "/api/v1/health/prescriptions/": ("resident", make_my_prescriptions),
    "/api/v1/health/slots/": ("resident", make_slots),
    "/api/v1/health/appointments/": ("resident", make_my_appointments),
    "/api/v1/health/vitals/": ("resident", make_my_vitals),
    "/api/v1/health/records/access-log/": ("resident", make_my_access_log),
    "/api/v1/health/insurance-applications/": ("resident", make_my_applications),
    "/api/v1/health/policies/": ("resident", make_policies_for_me),
    "/api/v1/staff/health/consultations/": ("doctor", make_doctor_queue),
    "/api/v1/staff/health/consultations/{id}/messages/": ("doctor", make_doctor_messages),
    "/api/v1/staff/health/consultations/{id}/vitals/": ("doctor", make_patient_vitals),
    "/api/v1/staff/health/insurance-applications/": ("staff", make_review_queue),
    "/api/v1/staff/health/policies/": ("staff", make_staff_policies),
}

DETAIL_BUDGETS = {
    # 1 token user, 1 the consultation (department, clinic, doctor, prescription joined), 1 photos
    "/api/v1/health/consultations/{id}/": ("resident", my_consultation, 3),
    # 1 token user, 1 the prescription (doctor, consultation joined), 1 items with their drugs
    "/api/v1/health/prescriptions/{id}/": ("resident", my_prescription, 3),
    # 1 token user, 1 the appointment (slot, department, clinic, doctor joined)
    "/api/v1/health/appointments/{id}/": ("resident", my_appointment, 2),
    # 1 token user, 1 aggregates per type, 1 the latest reading of each type (devices joined)
    "/api/v1/health/vitals/trends/": ("resident", my_vitals, 3),
    # 1 token user, 1 the readings with their devices (a short bundle needs no separate count)
    "/api/v1/health/records/fhir/": ("resident", my_vitals, 2),
    # 1 token user, 1 the application (community, reviewer joined), 1 attachments, 1 history with actors
    "/api/v1/health/insurance-applications/{id}/": ("resident", my_application, 4),
    # 1 token user, 1 the article if its audience includes me (is_read annotated), 1 my read (recorded once)
    "/api/v1/health/policies/{id}/": ("resident", policy_for_me, 3),
    # 1 token user, 1 doctor role, 1 the consultation (resident, department, clinic, doctor joined), 1 photos
    "/api/v1/staff/health/consultations/{id}/": ("doctor", doctor_consultation, 4),
    # 1 token user, 1 staff role, 1 the application, 1 attachments, 1 history with actors
    "/api/v1/staff/health/insurance-applications/{id}/": ("staff", application_to_review, 5),
    # 1 token user, 1 staff role, 1 the article with its read count
    "/api/v1/staff/health/policies/{id}/": ("staff", staff_policy, 3),
}


# --- privacy (linli.accounts.privacy): data to export and then forget -------------------------


def give_health_data(user):
    from decimal import Decimal

    from health.models import Appointment, HealthCondition

    department = health.make_department()
    doctor = health.make_doctor(department)
    health.sign_family_doctor(user, doctor)
    HealthCondition.objects.create(profile=HealthProfile.objects.get(user=user), condition="hypertension")
    consultation = health.make_consultation(user, department, doctor=doctor, status="closed", rating=5)
    consultation.rating_comment = "谢谢李医生的耐心讲解"
    consultation.save()
    ConsultationMessage.objects.create(consultation=consultation, sender=user, sender_role="resident", body="头晕")
    _prescription(user, doctor, department)
    Appointment.objects.create(slot=health.make_slot(department), resident=user)
    health.make_reading(user, "ecg", ecg_summary="偶发房性早搏-体检标记")
    health.make_reading(user, "glucose", value=Decimal("9.7"))
    VitalAccessLog.objects.create(resident=user, viewer=doctor, purpose="consultation", records=2)
    application = _application(user, factories.make_community())
    application.details = "社保卡在菜场遗失，申请补换"
    application.save()
    PolicyRead.objects.create(article=_article(None, title="医保家庭共济读后标记"), reader=user)
    return ["谢谢李医生的耐心讲解", "偶发房性早搏-体检标记", "社保卡在菜场遗失，申请补换", "医保家庭共济读后标记"]


PRIVACY_DATA = {"health": give_health_data}
# profile + conditions, consultations + messages, prescriptions + items, appointments, vitals,
# reads by others, insurance applications + history, policy reads
EXPORT_QUERIES = {"health": 12}
