"""GET /api/v1/events/ from the shared cache: a page cached for one viewer never shows another
community's residents-only events or another resident's own state, and every write that changes a
card (a registration, an admin action, the event's communities) shows on the next read."""

from datetime import date

import pytest
from django.test import Client

from events.models import Event
from linli.accounts.models import User
from tests import factories
from tests.events.factories import make_event, make_verified, register

URL = "/api/v1/events/"
pytestmark = pytest.mark.django_db


def rows(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return {row["title"]: row for row in response.json()["results"]}


@pytest.fixture
def neighbour_community(db):
    return factories.make_community(name="白云社区", code="baiyun")


def test_a_page_cached_for_one_community_never_shows_its_residents_only_events_to_another(
    as_user, community, neighbour_community, verified
):
    make_event(community, title="斗潭居民专场", residents_only=True)
    make_event(community, title="公开讲座")
    outsider = make_verified(neighbour_community)

    assert set(rows(as_user(verified))) == {"斗潭居民专场", "公开讲座"}  # primes 斗潭's page
    assert set(rows(as_user(outsider))) == {"公开讲座"}
    assert set(rows(as_user(verified))) == {"斗潭居民专场", "公开讲座"}  # and the other way round


def test_it_never_shows_one_residents_registration_or_eligibility_to_another(as_user, community, verified):
    event = make_event(community, title="插花活动", age_min=60, max_attendees_per_registration=3)
    register(event, verified, attendees=2)
    young = make_verified(community, birth_date=date(1990, 6, 1))

    mine = rows(as_user(verified))["插花活动"]  # primes the page both of them see
    theirs = rows(as_user(young))["插花活动"]

    assert mine["my_registration"]["attendees"] == 2
    assert mine["eligibility"]["eligible"] is True
    assert theirs["my_registration"] is None
    assert theirs["eligibility"]["reason"] == "too_young"
    assert {k: v for k, v in mine.items() if k not in ("my_registration", "eligibility")} == {
        k: v for k, v in theirs.items() if k not in ("my_registration", "eligibility")
    }


def test_a_staff_member_sees_the_residents_only_event_but_not_as_a_verified_resident(as_user, community, verified):
    make_event(community, title="斗潭居民专场", residents_only=True)
    helper = factories.make_user()
    factories.grant(helper, "community_staff", community=community)
    rows(as_user(verified))

    row = rows(as_user(helper))["斗潭居民专场"]

    assert row["eligibility"]["reason"] == "residents_only"


def test_a_registration_shows_in_the_seats_at_once(as_user, community, verified):
    event = make_event(community, title="插花活动", capacity=1)
    client = as_user(verified)
    assert rows(client)["插花活动"]["remaining"] == 1

    register(event, make_verified(community))  # the event fills up

    assert rows(client)["插花活动"]["remaining"] == 0


def test_an_admin_action_shows_at_once(as_user, community, verified):
    event = make_event(community, title="插花活动")
    client = as_user(verified)
    assert "插花活动" in rows(client)
    console = Client()
    console.force_login(User.objects.create_superuser("root", password="pw-123456-x", display_name="管理员"))

    console.post("/admin/events/event/", {"action": "cancel", "_selected_action": [event.pk]})

    assert Event.objects.get().status == "cancelled"
    assert rows(client) == {}


def test_opening_an_event_to_another_community_shows_at_once(as_user, community, neighbour_community):
    event = make_event(community, title="斗潭居民专场", residents_only=True)
    outsider = make_verified(neighbour_community)
    assert rows(as_user(outsider)) == {}

    event.communities.add(neighbour_community)

    assert set(rows(as_user(outsider))) == {"斗潭居民专场"}


def test_each_page_and_filter_is_cached_apart(as_user, community, verified):
    for title in ("插花活动", "读书会", "太极拳"):
        make_event(community, title=title)
    client = as_user(verified)

    first, second = rows(client, page_size=2), rows(client, page_size=2, page=2)
    found = rows(client, search="读书")

    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    assert set(found) == {"读书会"}
    response = client.get(URL, {"page_size": 2})
    assert response.json()["count"] == 3 and response.json()["next"].endswith("page=2&page_size=2")
