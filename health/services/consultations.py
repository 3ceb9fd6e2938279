"""到家看: consultations (first accept wins), messages, closing, rating, prescriptions."""

from django.db import transaction
from django.utils import timezone

from health import conf
from health.models import (
    Consultation,
    ConsultationMessage,
    Department,
    Drug,
    Prescription,
    PrescriptionItem,
)
from health.selectors import doctor_departments
from health.services._common import own_uploads
from linli import workflow
from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, ForbiddenError, InvalidTransition
from linli.family.acting import record_act
from linli.notifications.services import notify
from linli.workflow import record_step

Status = Consultation.Status
Action = Consultation.Action
RX = Prescription.Status


class AlreadyAccepted(ConflictError):
    code = "already_accepted"
    default_message = "该问诊已被其他医生接诊"


class NotYourPatient(ForbiddenError):
    code = "not_your_consultation"
    default_message = "只有接诊医生可以操作此问诊"


class AlreadyPrescribed(ConflictError):
    code = "already_prescribed"
    default_message = "该问诊已开具处方"


@transaction.atomic
def consultation_create(
    *,
    resident: User,
    department: Department,
    symptoms: str,
    photo_ids: list[int] = (),
    share_vitals: bool = False,
    acted_by: User | None = None,
) -> Consultation:
    """Ask a doctor. `acted_by`: the family member asking for the resident (亲情账号); the photos are theirs."""
    if not department.is_active:
        raise DomainError("该科室暂不接诊", code="validation_error", fields={"department": ["该科室暂不接诊"]})
    photos = own_uploads(acted_by or resident, photo_ids, field="photos")
    consultation = Consultation.objects.create(
        resident=resident, department=department, symptoms=symptoms, share_vitals=share_vitals, acted_by=acted_by
    )
    consultation.photos.set(photos)
    record_step(consultation, Action.CREATE, actor=acted_by or resident, from_status="")
    record_act(
        actor=acted_by,
        beneficiary=resident,
        kind="health.consultation",
        obj=consultation,
        summary=f"向{department.name}问诊",
    )
    return consultation


@transaction.atomic
def consultation_accept(*, consultation: Consultation, doctor: User) -> Consultation:
    """A doctor of the consultation's department takes it. Of concurrent accepts exactly one wins: the
    row lock queues them, and every later one finds the consultation taken (409 already_accepted)."""
    if not doctor_departments(doctor).filter(pk=consultation.department_id).exists():
        raise ForbiddenError("你不在该科室出诊", code="not_your_department")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.doctor_id is not None or not workflow.can(consultation, Action.ACCEPT):
        raise AlreadyAccepted()
    workflow.transition(
        consultation, Action.ACCEPT, actor=doctor, locked=True, doctor=doctor, accepted_at=timezone.now()
    )
    notify(
        consultation.resident_id,
        "health.consultation.accepted",
        "医生已接诊",
        f"{doctor.display_name or doctor.username} 医生已接诊你的问诊，请留意回复。",
        link=f"/pages/health/consultation?id={consultation.pk}",
        data={"consultation": consultation.pk},
    )
    return consultation


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, actor: User, note: str = "", acted_by: User | None = None
) -> Consultation:
    """The resident or the doctor closes it; `acted_by`: the family member closing it for the resident
    (`actor` is then the resident)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if actor.pk not in (consultation.resident_id, consultation.doctor_id):
        raise NotYourPatient()
    workflow.transition(
        consultation, Action.CLOSE, actor=acted_by or actor, note=note, locked=True, closed_at=timezone.now()
    )
    record_act(
        actor=acted_by, beneficiary=actor, kind="health.consultation_close", obj=consultation, summary="结束问诊"
    )
    if actor.pk == consultation.doctor_id:
        notify(
            consultation.resident_id,
            "health.consultation.closed",
            "问诊已结束",
            "医生已结束本次问诊，欢迎评价。",
            link=f"/pages/health/consultation?id={consultation.pk}",
            data={"consultation": consultation.pk},
        )
    return consultation


@transaction.atomic
def consultation_rate(*, consultation: Consultation, resident: User, rating: int, comment: str = "") -> Consultation:
    if consultation.resident_id != resident.pk:
        raise NotYourPatient()
    if consultation.status != Status.CLOSED or consultation.doctor_id is None:
        raise InvalidTransition("只能评价已结束且有医生接诊的问诊")
    updated = Consultation.objects.filter(pk=consultation.pk, rating__isnull=True).update(
        rating=rating, rating_comment=comment, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError("该问诊已评价", code="already_rated")
    consultation.refresh_from_db()
    return consultation


@transaction.atomic
def message_create(*, consultation: Consultation, sender: User, body: str) -> ConsultationMessage:
    if sender.pk == consultation.resident_id:
        role = ConsultationMessage.SenderRole.RESIDENT
        if not consultation.is_open:
            raise InvalidTransition("问诊已结束，不能再发送消息")
        recipient = consultation.doctor_id
    elif sender.pk == consultation.doctor_id:
        role = ConsultationMessage.SenderRole.DOCTOR
        if consultation.status != Status.IN_PROGRESS:
            raise InvalidTransition("问诊已结束，不能再发送消息")
        recipient = consultation.resident_id
    else:
        raise NotYourPatient()
    message = ConsultationMessage.objects.create(consultation=consultation, sender=sender, sender_role=role, body=body)
    if recipient:
        notify(
            recipient,
            "health.consultation.message",
            "问诊有新消息",
            "你的问诊有新的回复。",
            link=f"/pages/health/consultation?id={consultation.pk}",
            data={"consultation": consultation.pk},
        )
    return message


@transaction.atomic
def prescription_create(*, consultation: Consultation, doctor: User, diagnosis: str, items: list[dict]) -> Prescription:
    """`items`: [{"drug": Drug, "quantity": int, "dosage": str}]; prices and coverage are copied from the catalogue."""
    if consultation.doctor_id != doctor.pk:
        raise NotYourPatient()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Status.IN_PROGRESS:
        raise InvalidTransition("只能在问诊进行中开具处方")
    if Prescription.objects.filter(consultation=consultation).exists():
        raise AlreadyPrescribed()
    drug_ids = [item["drug"].pk for item in items]
    if len(set(drug_ids)) != len(drug_ids):
        raise DomainError("同一药品请合并为一行", code="validation_error", fields={"items": ["同一药品请合并为一行"]})
    drugs = {drug.pk: drug for drug in Drug.objects.filter(pk__in=drug_ids, is_active=True)}
    if len(drugs) != len(drug_ids):
        raise DomainError("药品不存在或已停售", code="validation_error", fields={"items": ["药品不存在或已停售"]})
    rows = [
        PrescriptionItem(
            drug=drugs[item["drug"].pk],
            quantity=item["quantity"],
            dosage=item["dosage"],
            unit_price_fen=drugs[item["drug"].pk].price_fen,
            coverage=drugs[item["drug"].pk].coverage,
        )
        for item in items
    ]
    now = timezone.now()
    prescription = Prescription.objects.create(
        consultation=consultation,
        resident_id=consultation.resident_id,
        doctor=doctor,
        diagnosis=diagnosis,
        valid_until=now + conf.prescription_validity(),
        total_fen=sum(row.amount_fen for row in rows),
        covered_fen=sum(row.amount_fen for row in rows if row.is_covered),
    )
    for row in rows:
        row.prescription = prescription
    PrescriptionItem.objects.bulk_create(rows)
    record_step(prescription, Prescription.Action.ISSUE, actor=doctor, from_status="")
    notify(
        consultation.resident_id,
        "health.prescription.issued",
        "医生已开具处方",
        f"处方有效期至 {timezone.localtime(prescription.valid_until):%m月%d日 %H:%M}，可到自助售药机取药。",
        link=f"/pages/health/prescription?id={prescription.pk}",
        data={"prescription": prescription.pk},
    )
    return prescription


def prescriptions_expire(*, now=None) -> int:
    """Mark issued prescriptions past their validity as expired. Idempotent (beat job): each one is
    re-read under its row lock, so one taken to a vending machine meanwhile is left alone."""
    now = now or timezone.now()
    due = list(Prescription.objects.filter(status=RX.ISSUED, valid_until__lte=now).values_list("pk", flat=True))
    expired = 0
    for pk in due:
        with transaction.atomic():
            prescription = Prescription.objects.select_for_update().filter(pk=pk).first()
            if prescription is None or prescription.status != RX.ISSUED or prescription.valid_until > now:
                continue
            workflow.transition(prescription, Prescription.Action.EXPIRE, locked=True, note="超过有效期")
            expired += 1
    return expired
