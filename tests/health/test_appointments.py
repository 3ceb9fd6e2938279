from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from health.models import Appointment, Slot
from health.tasks import send_appointment_reminders
from linli.notifications.models import Notification
from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/appointments/"


def test_it_lists_future_slots_by_department_and_date(as_user, resident, department):
    tomorrow = health.make_slot(department, days_ahead=1)
    health.make_slot(department, days_ahead=2)
    health.make_slot(department, days_ahead=-1)  # past: never listed
    health.make_slot(days_ahead=1)  # another department
    client = as_user(resident)
    listed = client.get("/api/v1/health/slots/", {"department": department.pk}).json()
    assert listed["count"] == 2
    on_day = client.get("/api/v1/health/slots/", {"department": department.pk, "date": tomorrow.date.isoformat()})
    assert [s["id"] for s in on_day.json()["results"]] == [tomorrow.pk]
    assert on_day.json()["results"][0]["remaining"] == 5


def test_it_books_a_slot_and_counts_it(as_user, resident, department):
    slot = health.make_slot(department, capacity=2)
    response = as_user(resident).post(URL, {"slot": slot.pk})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "booked"
    assert response.json()["slot"]["remaining"] == 1
    assert as_user(resident).get(URL).json()["count"] == 1


def test_it_refuses_a_full_slot(as_user, resident, neighbour, department):
    slot = health.make_slot(department, capacity=1)
    assert as_user(neighbour).post(URL, {"slot": slot.pk}).status_code == 201
    response = as_user(resident).post(URL, {"slot": slot.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "slot_full"


def test_it_refuses_booking_the_same_slot_twice(as_user, resident, department):
    slot = health.make_slot(department)
    assert as_user(resident).post(URL, {"slot": slot.pk}).status_code == 201
    response = as_user(resident).post(URL, {"slot": slot.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "already_booked"
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_it_refuses_a_slot_that_has_started(as_user, resident, department):
    slot = health.make_slot(department, days_ahead=0, at=time(0, 0))
    response = as_user(resident).post(URL, {"slot": slot.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "slot_closed"


def test_it_cancels_before_the_cutoff_and_frees_the_place(as_user, resident, department):
    slot = health.make_slot(department, days_ahead=2, capacity=1)
    appointment_id = as_user(resident).post(URL, {"slot": slot.pk}).json()["id"]
    response = as_user(resident).post(f"{URL}{appointment_id}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert as_user(resident).post(f"{URL}{appointment_id}/cancel/").status_code == 409
    # The freed place can be booked again, by the same resident too.
    assert as_user(resident).post(URL, {"slot": slot.pk}).status_code == 201


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # an hour left today, always
def test_it_refuses_to_cancel_after_the_cutoff(as_user, resident, department):
    soon = timezone.localtime() + timedelta(hours=1)
    start = soon.time().replace(second=0, microsecond=0)
    slot = Slot.objects.create(
        department=department,
        date=soon.date(),
        start_time=start,
        end_time=(datetime.combine(soon.date(), start) + timedelta(minutes=30)).time(),
        capacity=3,
    )
    appointment_id = as_user(resident).post(URL, {"slot": slot.pk}).json()["id"]
    response = as_user(resident).post(f"{URL}{appointment_id}/cancel/")
    assert response.status_code == 409
    assert response.json()["code"] == "cancel_too_late"


def test_it_cancels_only_my_own(as_user, resident, neighbour, department):
    slot = health.make_slot(department, days_ahead=2)
    appointment_id = as_user(resident).post(URL, {"slot": slot.pk}).json()["id"]
    assert as_user(neighbour).post(f"{URL}{appointment_id}/cancel/").status_code == 404
    assert as_user(neighbour).get(f"{URL}{appointment_id}/").status_code == 404


def test_it_reminds_tomorrows_appointments_once(as_user, resident, neighbour, department):
    tomorrow = health.make_slot(department, days_ahead=1)
    later = health.make_slot(department, days_ahead=3)
    as_user(resident).post(URL, {"slot": tomorrow.pk})
    as_user(neighbour).post(URL, {"slot": later.pk})
    cancelled = as_user(neighbour).post(URL, {"slot": tomorrow.pk}).json()["id"]
    as_user(neighbour).post(f"{URL}{cancelled}/cancel/")

    assert send_appointment_reminders() == 1
    assert send_appointment_reminders() == 0
    reminders = Notification.objects.filter(kind="health.appointment.reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [resident.pk]
    assert Appointment.objects.get(resident=resident).reminded_at is not None
