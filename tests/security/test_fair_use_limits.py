"""Fair use (issue 16, findings 6 and 9): one account may not hoard appointments, venue time or
household verifications. The limits are 使用限额 rows the console edits, defaults in code."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from events.models import VenueBooking
from health.models import Appointment, Slot
from linli.limits import services as limits
from linli.limits.models import FairUseLimit, Key
from residents.models import Verification
from tests import factories
from tests.events.factories import make_staff, make_venue, make_verified
from tests.health import factories as health
from tests.residents import factories as rf
from tests.support.race import race

TZ = ZoneInfo("Asia/Shanghai")
APPOINTMENTS = "/api/v1/health/appointments/"
VERIFICATIONS = "/api/v1/residents/verifications/"


def book_slot(client, slot):
    return client.post(APPOINTMENTS, {"slot": slot.pk}, format="json")


def apply_for(client, room):
    return client.post(
        VERIFICATIONS,
        {"room": room.pk, "relation": "tenant", "real_name": "张建国", "phone": "13905700001"},
        format="json",
    )


def book_venue(client, venue, start, minutes=60):
    return client.post(
        f"/api/v1/venues/{venue.pk}/bookings/",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=minutes)).isoformat(),
            "purpose": "排练",
        },
        format="json",
    )


def refused_with_limit(response, message):
    assert response.status_code == 409, response.content
    body = response.json()
    assert (body["code"], body["message"]) == ("limit_reached", message), body
    return body


@pytest.fixture
def department(db):
    return health.make_department()


@pytest.fixture
def newcomer(db):
    """A brand-new, unverified WeChat account: the probe's hoarder."""
    return factories.make_resident(display_name="新用户")


# --- appointments ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_fourth_upcoming_appointment(as_user, newcomer, department):
    slots = [health.make_slot(department, days_ahead=day) for day in (1, 2, 3, 4)]
    client = as_user(newcomer)
    assert [book_slot(client, slot).status_code for slot in slots[:3]] == [201, 201, 201]

    body = refused_with_limit(book_slot(client, slots[3]), "最多可同时预约3个号源，请先就诊或取消已有预约")

    assert body["limit"] == 3
    assert Slot.objects.get(pk=slots[3].pk).booked == 0
    assert Appointment.objects.filter(resident=newcomer).count() == 3


@pytest.mark.django_db
def test_cancelled_and_past_appointments_do_not_count(as_user, newcomer, department):
    past = health.make_slot(department, days_ahead=-1)
    Appointment.objects.create(slot=past, resident=newcomer)  # booked, never cancelled, over
    client = as_user(newcomer)
    first, *_ = [book_slot(client, health.make_slot(department, days_ahead=day)).json()["id"] for day in (1, 2, 3)]
    assert client.post(f"{APPOINTMENTS}{first}/cancel/").status_code == 200

    assert book_slot(client, health.make_slot(department, days_ahead=5)).status_code == 201


@pytest.mark.django_db
def test_it_refuses_an_appointment_overlapping_one_i_hold(as_user, newcomer, department):
    other_department = health.make_department(department.clinic, name="中医科")
    nine = health.make_slot(department, days_ahead=2, at=time(9))  # 09:00–09:30
    quarter_past = Slot.objects.create(
        department=other_department, date=nine.date, start_time=time(9, 15), end_time=time(9, 45), capacity=5
    )
    client = as_user(newcomer)
    assert book_slot(client, nine).status_code == 201

    response = book_slot(client, quarter_past)

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "appointment_overlap"
    assert "09:00–09:30" in response.json()["message"]
    assert Slot.objects.get(pk=quarter_past.pk).booked == 0
    # Back to back is no overlap, and someone else may take the overlapping slot.
    assert book_slot(client, health.make_slot(other_department, days_ahead=2, at=time(9, 30))).status_code == 201
    assert book_slot(as_user(factories.make_resident()), quarter_past).status_code == 201


# --- household verifications --------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_third_pending_verification(as_user, newcomer, community, staff):
    from residents.services import verification_reject

    rooms = [rf.make_room(community) for _ in range(3)]
    client = as_user(newcomer)
    assert [apply_for(client, room).status_code for room in rooms[:2]] == [201, 201]

    refused_with_limit(apply_for(client, rooms[2]), "最多可同时有2个待审核的住户认证申请，请等待社区审核")
    assert Verification.objects.filter(user=newcomer).count() == 2
    # The same room again is still "already pending", not the limit.
    assert apply_for(client, rooms[0]).json()["code"] == "verification_pending"

    # Once staff decide one, there is room for another application.
    verification_reject(
        verification=Verification.objects.get(user=newcomer, room=rooms[0]), reviewer=staff, reason="信息不符"
    )
    assert apply_for(client, rooms[2]).status_code == 201


# --- venue bookings -----------------------------------------------------------------------------

MONDAY = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)


@pytest.mark.django_db
@time_machine.travel(MONDAY, tick=False)
def test_it_refuses_a_fourth_venue_booking_in_one_week(as_user, community):
    venue = make_venue(community)
    resident = make_verified(community)
    client = as_user(resident)
    tuesday_to_thursday = [MONDAY + timedelta(days=d, hours=2) for d in (1, 2, 3)]
    assert [book_venue(client, venue, start).status_code for start in tuesday_to_thursday] == [201, 201, 201]

    refused_with_limit(book_venue(client, venue, MONDAY + timedelta(days=6, hours=2)), "每人每周最多预约场地3次")

    # Sunday is full; next Monday is another week.
    assert book_venue(client, venue, MONDAY + timedelta(days=7, hours=2)).status_code == 201
    # A cancelled booking frees its place in the week.
    cancelled = VenueBooking.objects.filter(booked_by=resident).order_by("starts_at").first()
    assert client.post(f"/api/v1/venues/bookings/{cancelled.pk}/cancel/").status_code == 200
    assert book_venue(client, venue, MONDAY + timedelta(days=6, hours=2)).status_code == 201


@pytest.mark.django_db
@time_machine.travel(MONDAY, tick=False)
def test_the_venues_own_staff_arrange_it_without_a_weekly_limit(as_user, community):
    venue = make_venue(community)
    client = as_user(make_staff(community))
    starts = [MONDAY + timedelta(days=1, hours=h) for h in range(5)]
    assert [book_venue(client, venue, start, minutes=50).status_code for start in starts] == [201] * 5


# --- the limits themselves ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_limit_changed_in_the_console_takes_effect_at_once(as_user, newcomer, department):
    client = as_user(newcomer)
    assert book_slot(client, health.make_slot(department, days_ahead=1)).status_code == 201  # caches the limits
    row = FairUseLimit.objects.get(key=Key.UPCOMING_APPOINTMENTS)
    console = Client()
    console.force_login(factories.make_user(is_staff=True, is_superuser=True))

    response = console.post(f"/admin/limits/fairuselimit/{row.pk}/change/", {"value": "1", "note": "号源紧张"})

    assert response.status_code == 302, response.content[:500]
    refused_with_limit(
        book_slot(client, health.make_slot(department, days_ahead=2)), "最多可同时预约1个号源，请先就诊或取消已有预约"
    )


@pytest.mark.django_db
def test_the_defaults_apply_without_rows_and_a_cached_read_costs_no_query(django_assert_num_queries):
    FairUseLimit.objects.all().delete()
    with django_assert_num_queries(1):
        assert limits.value(Key.UPCOMING_APPOINTMENTS) == 3
    with django_assert_num_queries(0):
        assert (limits.value(Key.PENDING_VERIFICATIONS), limits.value(Key.WEEKLY_VENUE_BOOKINGS)) == (2, 3)
    FairUseLimit.objects.create(key=Key.PENDING_VERIFICATIONS, value=5)
    assert limits.value(Key.PENDING_VERIFICATIONS) == 5


@pytest.mark.django_db
def test_staff_see_the_limits_in_the_console_but_only_superusers_change_them(community):
    staff = Client()
    staff.force_login(make_staff(community))
    changelist = staff.get("/admin/limits/fairuselimit/")
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 3
    row = FairUseLimit.objects.get(key=Key.WEEKLY_VENUE_BOOKINGS)
    page = staff.get(f"/admin/limits/fairuselimit/{row.pk}/change/")
    assert page.status_code == 200
    assert "自然周" in page.content.decode()  # what counts, explained
    assert staff.post(f"/admin/limits/fairuselimit/{row.pk}/change/", {"value": "50"}).status_code == 403
    assert FairUseLimit.objects.get(pk=row.pk).value == 3


# --- races (PostgreSQL, real threads) -----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_bookings_by_one_person_leave_exactly_the_limit():
    from health.services.appointments import appointment_book

    resident = factories.make_resident()
    department = health.make_department()
    slots = [health.make_slot(department, days_ahead=1, at=time(8 + i)) for i in range(10)]  # none overlap

    results = race([lambda s=s: appointment_book(resident=resident, slot=Slot.objects.get(pk=s.pk)) for s in slots])

    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if not isinstance(r, Appointment)]
    assert len(booked) == 3, results
    assert {getattr(r, "code", r) for r in refused} == {"limit_reached"}
    assert Appointment.objects.filter(resident=resident, status="booked").count() == 3
    assert sum(Slot.objects.filter(department=department).values_list("booked", flat=True)) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_overlapping_bookings_by_one_person_leave_one():
    from health.services.appointments import appointment_book

    resident = factories.make_resident()
    clinic = health.make_clinic()
    slots = [health.make_slot(health.make_department(clinic, name=f"科室{i}"), days_ahead=2) for i in range(5)]

    results = race([lambda s=s: appointment_book(resident=resident, slot=Slot.objects.get(pk=s.pk)) for s in slots])

    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert {getattr(r, "code", None) for r in results if not isinstance(r, Appointment)} == {"appointment_overlap"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_verifications_by_one_person_leave_exactly_the_limit():
    from residents.services import verification_submit

    community = factories.make_community(name="斗潭社区", code="doutan")
    user = factories.make_resident()
    rooms = [rf.make_room(community) for _ in range(10)]

    def submit(room):
        return verification_submit(user=user, room=room, relation="tenant", real_name="张建国", phone="13905700001")

    results = race([lambda r=r: submit(r) for r in rooms])

    assert sum(isinstance(r, Verification) for r in results) == 2, results
    assert {getattr(r, "code", None) for r in results if not isinstance(r, Verification)} == {"limit_reached"}
    assert Verification.objects.filter(user=user, status="pending").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_venue_bookings_by_one_person_leave_exactly_the_weekly_limit():
    from events.services import venue_booking_create

    community = factories.make_community(name="斗潭社区", code="doutan")
    venues = [make_venue(community) for _ in range(10)]  # one each: the venue's own lock serialises nothing
    resident = make_verified(community)
    today = timezone.localdate()
    next_monday = datetime.combine(today + timedelta(days=7 - today.weekday()), time(8), TZ)  # one whole week ahead

    def book(i):
        starts = next_monday + timedelta(hours=i)
        return venue_booking_create(
            venue=venues[i], user=resident, starts_at=starts, ends_at=starts + timedelta(minutes=50), purpose="排练"
        )

    results = race([lambda i=i: book(i) for i in range(10)])

    assert sum(isinstance(r, VenueBooking) for r in results) == 3, results
    assert {getattr(r, "code", None) for r in results if not isinstance(r, VenueBooking)} == {"limit_reached"}
    assert VenueBooking.objects.filter(booked_by=resident, status="active").count() == 3
