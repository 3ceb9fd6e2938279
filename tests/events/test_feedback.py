"""POST /api/v1/events/{id}/feedback/: residents who attended rate the event once."""

import pytest

from events import services
from tests.events.factories import make_event, make_verified, register

pytestmark = pytest.mark.django_db


def url(event):
    return f"/api/v1/events/{event.pk}/feedback/"


@pytest.fixture
def attended(community, verified):
    event = make_event(community, points_reward=0)
    registration = register(event, verified)
    services.registration_check_in(event=event, ticket=registration.ticket, staff=None)
    return event


def test_a_resident_who_attended_rates_the_event(as_user, attended, verified):
    response = as_user(verified).post(url(attended), {"rating": 5, "comment": "花篮很好看"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["rating"], response.json()["comment"]) == (5, "花篮很好看")


def test_it_rates_only_once(as_user, attended, verified):
    as_user(verified).post(url(attended), {"rating": 5}, format="json")
    response = as_user(verified).post(url(attended), {"rating": 1}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "feedback_exists")


def test_someone_who_did_not_attend_cannot_rate(as_user, attended, community):
    resident = make_verified(community)
    register(attended, resident)
    response = as_user(resident).post(url(attended), {"rating": 3}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_attended")


@pytest.mark.parametrize("rating", [0, 6, "five", None])
def test_the_rating_is_1_to_5(as_user, attended, verified, rating):
    response = as_user(verified).post(url(attended), {"rating": rating}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()["fields"]
