"""GET /api/v1/events/ and /api/v1/events/{id}/: what a resident sees, with seats and their own state."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests import factories
from tests.events.factories import make_event, make_venue, make_verified, register

URL = "/api/v1/events/"
pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_it_lists_upcoming_events_with_remaining_seats_and_my_registration(as_user, community, verified):
    event = make_event(community, title="插花活动", capacity=5, max_attendees_per_registration=3)
    register(event, verified, attendees=2)
    register(event, make_verified(community), attendees=1)

    row = as_user(verified).get(URL).json()["results"][0]

    assert row["title"] == "插花活动"
    assert row["remaining"] == 2
    assert row["my_registration"]["status"] == "confirmed"
    assert row["my_registration"]["attendees"] == 2
    assert row["eligibility"] == {"eligible": True, "reason": None, "message": None}
    assert row["community"]["name"] == "斗潭社区"


def test_it_shows_no_registration_to_someone_who_has_none(as_user, community, verified):
    make_event(community)
    assert as_user(verified).get(URL).json()["results"][0]["my_registration"] is None


def test_it_hides_drafts_cancelled_and_ended_events(as_user, community, verified):
    make_event(community, title="草稿", publish=False)
    ended = make_event(community, title="已结束", starts_in=timedelta(hours=1), duration=timedelta(minutes=30))
    make_event(community, title="进行中")
    Event.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
        final_ends_at=timezone.now() - timedelta(hours=1),
    )
    assert titles(as_user(verified).get(URL)) == ["进行中"]


def test_it_hides_residents_only_events_of_communities_i_do_not_belong_to(as_user, community, other_community):
    make_event(community, title="斗潭居民专场", residents_only=True)
    make_event(community, title="开放活动")
    outsider = make_verified(other_community)
    assert titles(as_user(outsider).get(URL)) == ["开放活动"]


def test_it_shows_residents_only_events_to_residents_of_every_community_they_are_for(
    as_user, community, other_community
):
    make_event(community, title="两社区联办", residents_only=True, communities=[other_community])
    assert titles(as_user(make_verified(other_community)).get(URL)) == ["两社区联办"]


def test_it_says_why_i_may_not_join(as_user, community):
    make_event(community, title="老年课", age_min=60)
    make_event(community, title="少儿", age_max=12, starts_in=timedelta(days=4))
    no_birth_date = make_verified(community, birth_date=None)

    rows = {r["title"]: r["eligibility"] for r in as_user(no_birth_date).get(URL).json()["results"]}
    assert rows["老年课"]["reason"] == "birth_date_missing"
    assert "出生日期" in rows["老年课"]["message"]

    grandpa = make_verified(community, birth_date=date(1950, 1, 1))
    rows = {r["title"]: r["eligibility"] for r in as_user(grandpa).get(URL).json()["results"]}
    assert rows["老年课"]["eligible"] is True
    assert rows["少儿"]["reason"] == "too_old"


def test_it_filters_by_category(as_user, community, verified):
    make_event(community, title="手机课", category="class")
    make_event(community, title="插花", category="culture", starts_in=timedelta(days=4))
    assert titles(as_user(verified).get(URL, {"category": "class"})) == ["手机课"]


def test_it_filters_by_start_time(as_user, community, verified):
    make_event(community, title="明天", starts_in=timedelta(days=1))
    make_event(community, title="下周", starts_in=timedelta(days=7))
    cut = (timezone.now() + timedelta(days=3)).isoformat()
    assert titles(as_user(verified).get(URL, {"starts_after": cut})) == ["下周"]
    assert titles(as_user(verified).get(URL, {"starts_before": cut})) == ["明天"]


def test_it_filters_by_community(as_user, community, other_community, verified):
    make_event(community, title="斗潭")
    make_event(other_community, title="白云")
    assert titles(as_user(verified).get(URL, {"community": other_community.pk})) == ["白云"]


def test_it_searches_title_and_description(as_user, community, verified):
    make_event(community, title="插花活动", description="鲜花花篮")
    make_event(community, title="智能手机课", description="学用微信")
    assert titles(as_user(verified).get(URL, {"search": "微信"})) == ["智能手机课"]


def test_it_rejects_a_malformed_filter(as_user, verified):
    response = as_user(verified).get(URL, {"starts_after": "next tuesday"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_it_needs_a_login(api):
    assert api.get(URL).status_code == 401


def test_the_detail_shows_sessions_of_a_course(as_user, community, verified):
    course = make_event(community, title="智能手机课", sessions_count=3, venue=make_venue(community))
    body = as_user(verified).get(f"{URL}{course.pk}/").json()
    assert [s["index"] for s in body["sessions"]] == [1, 2, 3]
    assert body["final_ends_at"] == body["sessions"][-1]["ends_at"]


def test_a_draft_is_not_found(as_user, community, verified):
    draft = make_event(community, publish=False)
    response = as_user(verified).get(f"{URL}{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_list_runs_the_same_queries_for_5_and_50_events(as_user, community, django_assert_num_queries):
    me = make_verified(community)
    other = make_verified(community)
    client = as_user(me)

    def make(n):
        first = Event.objects.count()
        for i in range(first, first + n):
            event = make_event(community, title=f"活动{i}", capacity=3, starts_in=timedelta(days=1, minutes=i))
            register(event, other)
            if i % 2:
                register(event, me)

    make(5)
    client.get(URL)  # warm the content-type cache
    # Cold (the page's cards not cached): 1 token user, 1 my roles (which residents-only events I see,
    # and my eligibility), 1 count, 1 page of events with seats and waitlist annotated (venue and
    # community joined), 1 prefetch of the communities each event is for, 1 when the first of them
    # ends (the entry's expiry), 1 my registrations of the page.
    # Warm (the same page again): the cards from the cache, so only 1 token user, 1 my roles, 1 mine.
    with django_assert_num_queries(7):
        small = client.get(URL, {"page_size": 100})
    with django_assert_num_queries(3):
        assert client.get(URL, {"page_size": 100}).json() == small.json()
    make(45)  # each write invalidates the cards
    with django_assert_num_queries(7):
        large = client.get(URL, {"page_size": 100})
    with django_assert_num_queries(3):
        assert client.get(URL, {"page_size": 100}).json() == large.json()
    assert len(small.json()["results"]) == 5
    assert len(large.json()["results"]) == 50
    states = {r["title"]: r["my_registration"] for r in large.json()["results"]}
    assert states["活动1"]["status"] == "confirmed"
    assert states["活动48"] is None
    assert {r["remaining"] for r in large.json()["results"]} == {1, 2}


def test_a_member_of_any_role_sees_residents_only_events_but_may_not_join(as_user, community):
    make_event(community, title="居民专场", residents_only=True)
    helper = factories.make_user()
    factories.grant(helper, "property_manager", community=community)
    row = as_user(helper).get(URL).json()["results"][0]
    assert row["eligibility"]["reason"] == "residents_only"
