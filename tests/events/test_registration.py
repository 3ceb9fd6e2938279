"""Registering and cancelling through the API: seats, waitlist, eligibility, windows, tickets."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import Event, Registration
from tests.events.factories import make_event, make_verified, register

pytestmark = pytest.mark.django_db


def register_url(event):
    return f"/api/v1/events/{event.pk}/register/"


def cancel_url(event):
    return f"/api/v1/events/{event.pk}/cancel-registration/"


def test_it_confirms_a_registration_while_seats_remain(as_user, community, verified):
    event = make_event(community, capacity=2)
    response = as_user(verified).post(register_url(event), {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["attendees"], body["waitlist_position"]) == ("confirmed", 1, None)
    assert body["ticket"]
    assert body["history"][0]["to_status"] == "confirmed"


def test_family_members_take_seats_too(as_user, community, verified):
    event = make_event(community, capacity=3, max_attendees_per_registration=2)
    assert as_user(verified).post(register_url(event), {"attendees": 2}, format="json").json()["status"] == "confirmed"
    second = as_user(make_verified(community)).post(register_url(event), {"attendees": 2}, format="json")
    assert second.json()["status"] == "waitlisted"
    third = as_user(make_verified(community)).post(register_url(event), {"attendees": 1}, format="json")
    assert third.json()["status"] == "confirmed"


def test_it_refuses_more_family_members_than_the_event_allows(as_user, community, verified):
    event = make_event(community, max_attendees_per_registration=2)
    response = as_user(verified).post(register_url(event), {"attendees": 3}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["attendees"]


def test_it_waitlists_when_full(as_user, community, verified):
    event = make_event(community, capacity=1)
    register(event, make_verified(community))
    body = as_user(verified).post(register_url(event), {}, format="json").json()
    assert (body["status"], body["waitlist_position"], body["ticket"]) == ("waitlisted", 1, None)


def test_it_says_event_full_when_there_is_no_waitlist(as_user, community, verified):
    event = make_event(community, capacity=1, waitlist_enabled=False)
    register(event, make_verified(community))
    response = as_user(verified).post(register_url(event), {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "event_full"


def test_it_refuses_a_second_registration(as_user, community, verified):
    event = make_event(community)
    as_user(verified).post(register_url(event), {}, format="json")
    response = as_user(verified).post(register_url(event), {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"


def test_it_allows_registering_again_after_cancelling(as_user, community, verified):
    event = make_event(community)
    client = as_user(verified)
    client.post(register_url(event), {}, format="json")
    client.post(cancel_url(event))
    assert client.post(register_url(event), {}, format="json").status_code == 201


@pytest.mark.parametrize(
    "window",
    [
        {"registration_opens_at": timedelta(days=1)},  # not open yet
        {"registration_closes_at": timedelta(hours=-1)},  # closed an hour ago
    ],
)
def test_it_refuses_outside_the_registration_window(as_user, community, verified, window):
    now = timezone.now()
    fields = {key: now + delta for key, delta in window.items()}
    if "registration_closes_at" in fields:
        fields["registration_opens_at"] = now - timedelta(days=1)
    event = make_event(community, **fields)
    response = as_user(verified).post(register_url(event), {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"


def test_it_refuses_once_the_event_has_started(as_user, community, verified):
    event = make_event(community)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = as_user(verified).post(register_url(event), {}, format="json")
    assert response.json()["code"] == "registration_closed"


def test_residents_only_events_refuse_unverified_users(as_user, community, other_community):
    event = make_event(community, residents_only=True, communities=[other_community])
    stranger = make_verified(other_community)  # verified elsewhere: the event is for 白云 too, so allowed
    assert as_user(stranger).post(register_url(event), {}, format="json").status_code == 201

    from tests import factories

    unverified = factories.make_resident()
    factories.grant(unverified, "property_manager", community=community)
    response = as_user(unverified).post(register_url(event), {}, format="json")
    assert response.status_code == 403
    assert (response.json()["code"], response.json()["reason"]) == ("not_eligible", "residents_only")


@pytest.mark.parametrize(
    ("birth_date", "rule", "reason"),
    [
        (date(2000, 1, 1), {"age_min": 60}, "too_young"),
        (date(1950, 1, 1), {"age_max": 12}, "too_old"),
        (None, {"age_min": 60}, "birth_date_missing"),
    ],
)
def test_age_rules_use_the_birth_date(as_user, community, birth_date, rule, reason):
    event = make_event(community, **rule)
    response = as_user(make_verified(community, birth_date=birth_date)).post(register_url(event), {}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["reason"]) == ("not_eligible", reason)
    if reason == "birth_date_missing":
        assert "出生日期" in body["message"]


def test_age_counts_on_the_day_of_the_event(as_user, community):
    event = make_event(community, age_min=60, starts_in=timedelta(days=10))
    birthday_next_week = timezone.localdate() + timedelta(days=7)
    turning_60 = make_verified(community, birth_date=birthday_next_week.replace(year=birthday_next_week.year - 60))
    assert as_user(turning_60).post(register_url(event), {}, format="json").status_code == 201


def test_a_draft_cannot_be_joined(as_user, community, verified):
    draft = make_event(community, publish=False)
    assert as_user(verified).post(register_url(draft), {}, format="json").status_code == 404


def test_cancelling_frees_the_seat(as_user, community, verified):
    event = make_event(community, capacity=1)
    client = as_user(verified)
    client.post(register_url(event), {}, format="json")
    response = client.post(cancel_url(event))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert client.get(f"/api/v1/events/{event.pk}/").json()["remaining"] == 1


def test_cancelling_closes_at_the_deadline(as_user, community, verified):
    event = make_event(community, cancellation_deadline=timezone.now() + timedelta(hours=1))
    register(event, verified)
    Event.objects.filter(pk=event.pk).update(cancellation_deadline=timezone.now() - timedelta(minutes=1))
    response = as_user(verified).post(cancel_url(event))
    assert response.status_code == 409
    assert response.json()["code"] == "cancellation_closed"
    assert Registration.objects.get(event=event, user=verified).status == "confirmed"


def test_cancelling_without_a_registration_is_not_found(as_user, community, verified):
    event = make_event(community)
    response = as_user(verified).post(cancel_url(event))
    assert response.status_code == 404
    assert response.json()["code"] == "not_registered"


def test_my_registrations_carry_a_signed_ticket(as_user, community, verified):
    confirmed = register(make_event(community, title="插花"), verified)
    register(make_event(community, title="满员", capacity=1), make_verified(community))
    waitlisted = register(Event.objects.get(title="满员"), verified)

    rows = {r["id"]: r for r in as_user(verified).get("/api/v1/events/registrations/").json()["results"]}

    assert rows[confirmed.pk]["ticket"] == confirmed.ticket
    assert Registration.id_from_ticket(rows[confirmed.pk]["ticket"]) == confirmed.pk
    assert rows[waitlisted.pk]["ticket"] is None
    forged = f"R{waitlisted.pk}:" + rows[confirmed.pk]["ticket"].split(":", 1)[1]
    assert Registration.id_from_ticket(forged) is None


def test_my_registrations_filter_by_status(as_user, community, verified):
    register(make_event(community), verified)
    response = as_user(verified).get("/api/v1/events/registrations/", {"status": "waitlisted"})
    assert response.json()["count"] == 0


def test_someone_elses_registration_is_not_found(as_user, community, verified):
    registration = register(make_event(community), make_verified(community))
    response = as_user(verified).get(f"/api/v1/events/registrations/{registration.pk}/")
    assert response.status_code == 404
