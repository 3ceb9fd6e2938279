"""POST /api/v1/staff/events/{id}/check-in/: attended once, points once, replays and reason codes."""

import pytest

from events import services
from events.models import CheckInScan, Registration
from linli.points.models import PointsAccount, PointsEntry
from tests.events.factories import make_event, make_staff, make_verified, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(community):
    return make_event(community, title="插花活动", points_reward=10)


@pytest.fixture
def desk(as_user, community):
    return as_user(make_staff(community))


def scan(client, event, ticket, nonce=None):
    body = {"ticket": ticket, **({"nonce": nonce} if nonce else {})}
    return client.post(f"/api/v1/staff/events/{event.pk}/check-in/", body, format="json")


def balance(user):
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def test_the_first_scan_checks_in_and_awards_the_points(desk, event, verified):
    registration = register(event, verified)
    response = scan(desk, event, registration.ticket)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["result"], body["already_checked_in"], body["points_awarded"]) == ("checked_in", False, 10)
    assert body["registration"]["name"] == "李阿姨"
    assert Registration.objects.get(pk=registration.pk).status == "attended"
    assert balance(verified) == 10
    entry = PointsEntry.objects.get()
    assert entry.idempotency_key == f"event-attend-{registration.pk}"


def test_a_second_scan_says_already_checked_in_and_awards_nothing(desk, event, verified):
    registration = register(event, verified)
    scan(desk, event, registration.ticket)
    response = scan(desk, event, registration.ticket)
    assert response.status_code == 200
    body = response.json()
    assert (body["result"], body["already_checked_in"], body["points_awarded"]) == ("already_checked_in", True, 0)
    assert balance(verified) == 10
    assert PointsEntry.objects.count() == 1


def test_a_retry_with_the_same_nonce_replays_the_first_answer(desk, event, verified):
    registration = register(event, verified)
    first = scan(desk, event, registration.ticket, nonce="scan-001")
    again = scan(desk, event, registration.ticket, nonce="scan-001")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["result"] == "checked_in"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert CheckInScan.objects.count() == 1
    assert balance(verified) == 10


def test_a_nonce_cannot_be_reused_for_another_ticket(desk, event, verified, community):
    scan(desk, event, register(event, verified).ticket, nonce="scan-001")
    response = scan(desk, event, register(event, make_verified(community)).ticket, nonce="scan-001")
    assert response.status_code == 409
    assert response.json()["code"] == "nonce_reused"


def test_a_replayed_refusal_is_refused_again(desk, event):
    first = scan(desk, event, "not-a-ticket", nonce="n-1")
    again = scan(desk, event, "not-a-ticket", nonce="n-1")
    assert (first.status_code, again.status_code) == (400, 400)
    assert again.json()["code"] == "invalid_ticket"
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_cancelled_registration_has_its_own_reason(as_user, desk, event, verified):
    registration = register(event, verified)
    services.registration_cancel(registration=registration, actor=verified)
    response = scan(desk, event, registration.ticket)
    assert response.status_code == 409
    assert response.json()["code"] == "registration_cancelled"


def test_another_events_ticket_has_its_own_reason(desk, event, community, verified):
    elsewhere = register(make_event(community, title="读书会"), verified)
    response = scan(desk, event, elsewhere.ticket)
    assert response.status_code == 409
    assert response.json()["code"] == "ticket_for_another_event"
    assert Registration.objects.get(pk=elsewhere.pk).status == "confirmed"


def test_a_waitlisted_ticket_has_no_seat(desk, community, verified):
    event = make_event(community, capacity=1)
    register(event, make_verified(community))
    waiting = register(event, verified)
    response = scan(desk, event, waiting.ticket)
    assert response.json()["code"] == "registration_waitlisted"


@pytest.mark.parametrize("ticket", ["R1:forged", "hello", "R1", ""])
def test_a_forged_ticket_is_invalid(desk, event, verified, ticket):
    register(event, verified)
    response = scan(desk, event, ticket)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_ticket", "validation_error"}


def test_a_ticket_with_a_swapped_id_is_invalid(desk, event, verified, community):
    mine = register(event, verified)
    theirs = register(event, make_verified(community))
    signature = mine.ticket.split(":", 1)[1]
    response = scan(desk, event, f"R{theirs.pk}:{signature}")
    assert response.json()["code"] == "invalid_ticket"


def test_a_cancelled_event_takes_no_check_ins(desk, event, verified, community):
    registration = register(event, verified)
    services.event_cancel(event=event, actor=None, reason="天气原因")
    response = scan(desk, event, registration.ticket)
    assert response.status_code == 409
    assert response.json()["code"] == "event_not_open_for_check_in"


def test_staff_of_another_community_get_not_found(as_user, event, verified, other_community):
    registration = register(event, verified)
    response = scan(as_user(make_staff(other_community)), event, registration.ticket)
    assert response.status_code == 404


def test_residents_cannot_check_in(as_user, event, verified):
    registration = register(event, verified)
    assert scan(as_user(verified), event, registration.ticket).status_code == 403


def test_an_event_without_points_checks_in_without_a_ledger_entry(desk, community, verified):
    event = make_event(community, points_reward=0)
    body = scan(desk, event, register(event, verified).ticket).json()
    assert (body["result"], body["points_awarded"]) == ("checked_in", 0)
    assert not PointsEntry.objects.exists()
