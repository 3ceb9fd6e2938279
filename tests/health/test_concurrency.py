"""First accept wins, and a slot is never overbooked: real threads against PostgreSQL."""

import pytest

from health.models import Appointment, Consultation, ConsultationHistory, Slot
from linli.api.errors import DomainError
from tests import factories
from tests.health import factories as health
from tests.support.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_lets_exactly_one_of_several_doctors_accept():
    from health.services.consultations import AlreadyAccepted, consultation_accept

    department = health.make_department()
    doctors = [health.make_doctor(department, username=f"doc{i}") for i in range(4)]
    consultation = health.make_consultation(factories.make_resident(), department)

    results = race(
        [
            lambda d=d: consultation_accept(consultation=Consultation.objects.get(pk=consultation.pk), doctor=d)
            for d in doctors
        ]
    )

    winners = [r for r in results if isinstance(r, Consultation)]
    losers = [r for r in results if isinstance(r, AlreadyAccepted)]
    assert len(winners) == 1 and len(losers) == 3, results
    consultation.refresh_from_db()
    assert consultation.doctor_id == winners[0].doctor_id
    assert ConsultationHistory.objects.filter(consultation=consultation, action="accept").count() == 1


def test_it_never_books_more_than_the_capacity():
    from health.services.appointments import appointment_book

    slot = health.make_slot(capacity=2)
    residents = [factories.make_resident() for _ in range(6)]

    results = race([lambda r=r: appointment_book(resident=r, slot=Slot.objects.get(pk=slot.pk)) for r in residents])

    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 2 and len(refused) == 4, results
    assert {r.code for r in refused} == {"slot_full"}
    slot.refresh_from_db()
    assert slot.booked == 2 == Appointment.objects.filter(slot=slot, status="booked").count()


def test_it_books_a_resident_once_when_they_tap_twice():
    from health.services.appointments import appointment_book

    slot = health.make_slot(capacity=5)
    resident = factories.make_resident()

    results = race([lambda: appointment_book(resident=resident, slot=Slot.objects.get(pk=slot.pk))] * 3)

    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    slot.refresh_from_db()
    assert slot.booked == 1
