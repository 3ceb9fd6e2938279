"""Consultations, prescriptions, appointments and insurance applications change status through the
platform workflow: a refused step is 409 invalid_transition naming the current state, and every step
leaves a history row (action, from, to, actor)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from health.models import (
    AppointmentHistory,
    ConsultationHistory,
    InsuranceApplicationHistory,
    Prescription,
    PrescriptionHistory,
)
from health.services import appointments, consultations, dispensing, insurance
from linli import workflow
from linli.api.errors import InvalidTransition
from linli.devices.models import DeviceCommand
from linli.payments.models import SandboxInsuranceAccount
from tests.health import factories as health

pytestmark = pytest.mark.django_db


def steps(rows):
    return [(h.action, h.from_status, h.to_status, h.actor_id) for h in rows.order_by("created_at", "id")]


# --- refused steps ------------------------------------------------------------------------------


def test_it_refuses_to_close_a_closed_consultation_naming_its_state(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    url = f"/api/v1/staff/health/consultations/{consultation.pk}/close/"
    assert as_user(doctor).post(url, {}).status_code == 200

    response = as_user(doctor).post(url, {})

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "问诊当前为「已结束」，不能结束问诊",
        "status": "closed",
    }


def test_it_refuses_to_reject_an_approved_application_naming_its_state(as_user, verified_resident, staff):
    application = insurance.application_create(applicant=verified_resident, type="reimbursement", details="门诊票据")
    insurance.application_review(application=application, reviewer=staff, action="approve")

    response = as_user(staff).post(
        f"/api/v1/staff/health/insurance-applications/{application.pk}/reject/", {"note": "重复"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "医保事项申请当前为「已通过」，不能驳回",
        "status": "approved",
    }


def test_it_refuses_to_cancel_a_cancelled_appointment_naming_its_state(as_user, resident, department):
    appointment = appointments.appointment_book(resident=resident, slot=health.make_slot(department, days_ahead=3))
    url = f"/api/v1/health/appointments/{appointment.pk}/cancel/"
    assert as_user(resident).post(url).status_code == 200

    response = as_user(resident).post(url)

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "预约当前为「已取消」，不能取消",
        "status": "cancelled",
    }


def test_it_refuses_to_dispense_a_prescription_nobody_took_to_a_machine(resident):
    prescription = health.make_prescription(resident)

    with pytest.raises(InvalidTransition) as refused, transaction.atomic():
        workflow.transition(prescription, Prescription.Action.DISPENSE)

    assert (refused.value.status_code, refused.value.code) == (409, "invalid_transition")
    assert refused.value.message == "处方当前为「待取药」，不能完成取药"
    assert Prescription.objects.get(pk=prescription.pk).status == "issued"


# --- history rows -------------------------------------------------------------------------------


def test_it_records_asking_accepting_and_closing_a_consultation(resident, doctor, department):
    consultation = consultations.consultation_create(resident=resident, department=department, symptoms="咳嗽")
    consultations.consultation_accept(consultation=consultation, doctor=doctor)
    consultations.consultation_close(consultation=consultation, actor=resident, note="好多了")

    assert steps(ConsultationHistory.objects.filter(consultation=consultation)) == [
        ("create", "", "waiting", resident.pk),
        ("accept", "waiting", "in_progress", doctor.pk),
        ("close", "in_progress", "closed", resident.pk),
    ]
    assert consultation.history.last().note == "好多了"


def test_it_records_filing_asking_resubmitting_and_approving_an_application(verified_resident, staff):
    application = insurance.application_create(applicant=verified_resident, type="reimbursement", details="门诊票据")
    insurance.application_review(application=application, reviewer=staff, action="request_info", note="缺发票")
    insurance.application_resubmit(application=application, applicant=verified_resident, details="补发票")
    insurance.application_review(application=application, reviewer=staff, action="approve")

    assert steps(InsuranceApplicationHistory.objects.filter(application=application)) == [
        ("submit", "", "submitted", verified_resident.pk),
        ("request_info", "submitted", "needs_info", staff.pk),
        ("resubmit", "needs_info", "submitted", verified_resident.pk),
        ("approve", "submitted", "approved", staff.pk),
    ]


def test_it_records_booking_and_cancelling_an_appointment(resident, department):
    appointment = appointments.appointment_book(resident=resident, slot=health.make_slot(department, days_ahead=3))
    appointments.appointment_cancel(appointment=appointment, resident=resident)

    assert steps(AppointmentHistory.objects.filter(appointment=appointment)) == [
        ("book", "", "booked", resident.pk),
        ("cancel", "booked", "cancelled", resident.pk),
    ]


def test_it_records_issuing_a_prescription(as_user, resident, doctor, department):
    consultation = health.make_consultation(resident, department, doctor=doctor)
    drug = health.make_drug(coverage="A", price_fen=1000)
    prescription = consultations.prescription_create(
        consultation=consultation,
        doctor=doctor,
        diagnosis="感冒",
        items=[{"drug": drug, "quantity": 1, "dosage": "口服"}],
    )

    assert steps(prescription.history) == [("issue", "", "issued", doctor.pk)]


def test_it_records_taking_a_prescription_to_a_machine_and_dispensing_it(verified_resident, community):
    SandboxInsuranceAccount.objects.create(user=verified_resident, balance_fen=10_000)
    prescription = health.make_prescription(verified_resident, [(health.make_drug(coverage="A", price_fen=500), 1)])
    machine = health.make_drug_machine(community)
    dispense = dispensing.prescription_dispense(
        prescription=prescription,
        resident=verified_resident,
        device_code=machine.code,
        payment_method="insurance_account",
    )
    assert health.ack(machine, dispense.command_id, "done").status_code == 200

    assert steps(PrescriptionHistory.objects.filter(prescription=prescription)) == [
        ("start_dispensing", "issued", "dispensing", verified_resident.pk),
        ("dispense", "dispensing", "dispensed", None),
    ]
    assert DeviceCommand.objects.get(pk=dispense.command_id).status == "done"


def test_it_records_freeing_a_prescription_when_the_machine_fails(verified_resident, community):
    SandboxInsuranceAccount.objects.create(user=verified_resident, balance_fen=10_000)
    prescription = health.make_prescription(verified_resident, [(health.make_drug(coverage="A", price_fen=500), 1)])
    machine = health.make_drug_machine(community)
    dispense = dispensing.prescription_dispense(
        prescription=prescription,
        resident=verified_resident,
        device_code=machine.code,
        payment_method="insurance_account",
    )
    assert health.ack(machine, dispense.command_id, "failed").status_code == 200

    assert steps(prescription.history)[-1] == ("release", "dispensing", "issued", None)
    assert prescription.history.last().note == "售药机出药失败"


def test_it_records_the_expiry_of_a_prescription(resident):
    prescription = health.make_prescription(resident, valid_for=timedelta(minutes=-1))

    assert consultations.prescriptions_expire(now=timezone.now()) == 1

    assert steps(prescription.history) == [("expire", "issued", "expired", None)]
