"""What health keeps about a person, and what erasure does with it.

* Gone on erasure: vitals, kiosk sessions, abnormal episodes, the health profile (family doctor,
  conditions), appointments (future places are given back to the slot), policy read marks.
* Kept, as medical and government records must be (《医疗机构病历管理规定》: outpatient records
  at least 15 years): consultations with their messages and prescriptions, and insurance
  applications — but what the person wrote that is not part of the record is blanked (rating
  comments, the application's free text and the notes they added). Photos and attachments are
  uploads and go with the uploads app's erasure.
* The access log of reads of this person's vitals goes with the vitals; where the person is the
  *viewer* (a doctor), the entries stay: they belong to the residents whose data was read.
"""

from django.db.models import F, Prefetch
from django.utils import timezone

from health.models import (
    AbnormalEpisode,
    Appointment,
    Consultation,
    ConsultationMessage,
    HealthProfile,
    InsuranceApplication,
    InsuranceApplicationHistory,
    KioskSession,
    PolicyRead,
    Prescription,
    PrescriptionItem,
    Slot,
    VitalAccessLog,
    VitalReading,
)

ERASED = "（用户已注销）"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    profile = (
        HealthProfile.objects.filter(user=user).select_related("family_doctor").prefetch_related("conditions").first()
    )
    consultations = (
        Consultation.objects.filter(resident=user)
        .select_related("department__clinic")
        .prefetch_related(Prefetch("messages", queryset=ConsultationMessage.objects.order_by("created_at", "id")))
        .order_by("created_at", "id")
    )
    prescriptions = Prescription.objects.filter(resident=user).prefetch_related(
        Prefetch("items", queryset=PrescriptionItem.objects.select_related("drug"))
    )
    applications = InsuranceApplication.objects.filter(applicant=user).prefetch_related(
        Prefetch("history", queryset=InsuranceApplicationHistory.objects.order_by("created_at", "id"))
    )
    return {
        "profile": {
            "family_doctor": str(profile.family_doctor) if profile and profile.family_doctor else None,
            "conditions": [c.condition for c in profile.conditions.all()] if profile else [],
        },
        "consultations": [
            {
                "id": c.pk,
                "department": str(c.department),
                "symptoms": c.symptoms,
                "status": c.status,
                "share_vitals": c.share_vitals,
                "rating": c.rating,
                "rating_comment": c.rating_comment,
                "created_at": _iso(c.created_at),
                "messages": [
                    {"from": m.sender_role, "body": m.body, "at": _iso(m.created_at)} for m in c.messages.all()
                ],
            }
            for c in consultations
        ],
        "prescriptions": [
            {
                "id": p.pk,
                "diagnosis": p.diagnosis,
                "status": p.status,
                "total_fen": p.total_fen,
                "valid_until": _iso(p.valid_until),
                "items": [
                    {"drug": str(i.drug), "quantity": i.quantity, "dosage": i.dosage, "price_fen": i.unit_price_fen}
                    for i in p.items.all()
                ],
            }
            for p in prescriptions.order_by("created_at", "id")
        ],
        "appointments": [
            {"slot": str(a.slot), "status": a.status, "booked_at": _iso(a.created_at)}
            for a in Appointment.objects.filter(resident=user)
            .select_related("slot__department__clinic")
            .order_by("created_at", "id")
        ],
        "vitals": [
            {
                "type": r.type,
                "systolic": r.systolic,
                "diastolic": r.diastolic,
                "value": str(r.value) if r.value is not None else None,
                "glucose_context": r.glucose_context,
                "ecg_rhythm": r.ecg_rhythm,
                "ecg_summary": r.ecg_summary,
                "interpretation": r.interpretation,
                "measured_at": _iso(r.measured_at),
            }
            for r in VitalReading.objects.filter(resident=user).order_by("measured_at", "id")
        ],
        "vitals_read_by_others": [
            {"viewer": str(log.viewer), "purpose": log.purpose, "records": log.records, "at": _iso(log.accessed_at)}
            for log in VitalAccessLog.objects.filter(resident=user).select_related("viewer").order_by("accessed_at")
        ],
        "insurance_applications": [
            {
                "id": a.pk,
                "type": a.type,
                "details": a.details,
                "status": a.status,
                "created_at": _iso(a.created_at),
                "history": [{"to": h.to_status, "note": h.note, "at": _iso(h.created_at)} for h in a.history.all()],
            }
            for a in applications.order_by("created_at", "id")
        ],
        "policies_read": [
            {"title": r.article.title, "read_at": _iso(r.read_at)}
            for r in PolicyRead.objects.filter(reader=user).select_related("article").order_by("read_at")
        ],
    }


def anonymise(user) -> None:
    now = timezone.now()
    # Give future places back before the bookings go.
    for slot_id in Appointment.objects.filter(
        resident=user, status=Appointment.Status.BOOKED, slot__date__gte=timezone.localdate()
    ).values_list("slot_id", flat=True):
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
    Appointment.objects.filter(resident=user).delete()
    AbnormalEpisode.objects.filter(resident=user).delete()
    VitalReading.objects.filter(resident=user).delete()
    KioskSession.objects.filter(resident=user).delete()
    VitalAccessLog.objects.filter(resident=user).delete()
    HealthProfile.objects.filter(user=user).delete()
    PolicyRead.objects.filter(reader=user).delete()
    Consultation.objects.filter(resident=user).update(rating_comment="", updated_at=now)
    InsuranceApplication.objects.filter(applicant=user).update(details=ERASED, updated_at=now)
    InsuranceApplicationHistory.objects.filter(actor=user, application__applicant=user).update(note="")
