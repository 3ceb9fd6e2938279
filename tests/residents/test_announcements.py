"""Announcements: staff publish per community; residents see those of their communities with read state."""

from datetime import timedelta

from django.utils import timezone

from tests import factories
from tests.residents import factories as rf

MINE, STAFF = "/api/v1/residents/announcements/", "/api/v1/staff/announcements/"


def test_residents_see_published_announcements_of_their_communities_pinned_first(
    as_user, owner, community, other_community
):
    now = timezone.now()
    old = rf.make_announcement(community, title="旧公告", publish_at=now - timedelta(days=3))
    pinned = rf.make_announcement(community, title="置顶", pinned=True, publish_at=now - timedelta(days=5))
    new = rf.make_announcement(community, title="新公告", publish_at=now - timedelta(hours=1))
    rf.make_announcement(community, title="未发布", publish_at=now + timedelta(days=1))
    rf.make_announcement(
        community, title="已过期", publish_at=now - timedelta(days=9), expires_at=now - timedelta(days=1)
    )
    rf.make_announcement(other_community, title="别的社区")

    rows = as_user(owner).get(MINE).json()["results"]
    assert [r["id"] for r in rows] == [pinned.pk, new.pk, old.pk]
    assert {r["is_read"] for r in rows} == {False}


def test_marking_read_shows_in_the_list_and_is_per_user(as_user, owner, community):
    announcement = rf.make_announcement(community)
    neighbour, _ = rf.make_verified_resident(community)
    assert as_user(owner).post(f"{MINE}{announcement.pk}/read/").status_code == 204
    assert as_user(owner).post(f"{MINE}{announcement.pk}/read/").status_code == 204  # twice: still once
    assert as_user(owner).get(MINE).json()["results"][0]["is_read"] is True
    assert as_user(neighbour).get(MINE).json()["results"][0]["is_read"] is False
    assert as_user(staff_reader := factories.make_user()).get(f"{MINE}{announcement.pk}/").status_code == 404
    assert staff_reader.announcement_reads.count() == 0


def test_staff_publish_edit_and_delete_in_their_community_only(as_user, staff, owner, community, other_community):
    client = as_user(staff)
    response = client.post(
        STAFF, {"community": community.pk, "title": "停水通知", "body": "周六停水", "pinned": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["created_by"]["id"] == staff.pk
    assert [r["title"] for r in as_user(owner).get(MINE).json()["results"]] == ["停水通知"]

    as_user(owner).post(f"{MINE}{pk}/read/")
    response = client.patch(f"{STAFF}{pk}/", {"title": "停水通知（更新）"}, format="json")
    assert (response.json()["title"], response.json()["read_count"]) == ("停水通知（更新）", 1)

    response = client.post(STAFF, {"community": other_community.pk, "title": "x", "body": "y"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["community"]

    assert client.delete(f"{STAFF}{pk}/").status_code == 204
    assert as_user(owner).get(MINE).json()["count"] == 0


def test_it_refuses_an_expiry_before_publication(as_user, staff, community):
    now = timezone.now()
    response = as_user(staff).post(
        STAFF,
        {
            "community": community.pk,
            "title": "x",
            "body": "y",
            "publish_at": now.isoformat(),
            "expires_at": (now - timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["expires_at"]


def test_staff_of_another_community_get_404(as_user, other_staff, community):
    announcement = rf.make_announcement(community)
    client = as_user(other_staff)
    assert client.get(f"{STAFF}{announcement.pk}/").status_code == 404
    assert client.patch(f"{STAFF}{announcement.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.delete(f"{STAFF}{announcement.pk}/").status_code == 404


def test_it_refuses_implausible_dates_instead_of_echoing_them(as_user, staff, community):
    announcement = rf.make_announcement(community)
    response = as_user(staff).patch(
        f"{STAFF}{announcement.pk}/", {"publish_at": "0288-03-31T00:59:00-01:06"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["publish_at"]


def test_a_community_filter_out_of_any_id_range_is_a_validation_error(as_user, staff):
    response = as_user(staff).get(STAFF, {"community": "-4.887658143861445e+173"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


# --- the shared cards (residents/cache.py) ---------------------------------------------------------


def test_each_community_gets_its_own_cards_and_each_resident_their_own_read_state(
    as_user, owner, community, other_community
):
    here = rf.make_announcement(community, title="斗潭停水")
    there = rf.make_announcement(other_community, title="白云停电")
    neighbour, _ = rf.make_verified_resident(community)
    elsewhere, _ = rf.make_verified_resident(other_community)
    as_user(owner).post(f"{MINE}{here.pk}/read/")

    for _ in range(2):  # the second round is served from the cache
        assert [(r["id"], r["is_read"]) for r in as_user(owner).get(MINE).json()["results"]] == [(here.pk, True)]
        assert [(r["id"], r["is_read"]) for r in as_user(neighbour).get(MINE).json()["results"]] == [(here.pk, False)]
        assert [r["id"] for r in as_user(elsewhere).get(MINE).json()["results"]] == [there.pk]
        assert as_user(factories.make_user()).get(MINE).json()["results"] == []


def test_an_edit_or_a_delete_shows_at_once(as_user, owner, community):
    announcement = rf.make_announcement(community, title="停水通知")
    client = as_user(owner)
    client.get(MINE)

    announcement.title = "停水通知（改期）"
    announcement.save()
    assert client.get(MINE).json()["results"][0]["title"] == "停水通知（改期）"

    announcement.delete()
    assert client.get(MINE).json()["results"] == []


def test_a_scheduled_announcement_appears_when_its_time_comes_and_leaves_when_it_expires(owner, community):
    import time_machine

    from tests.conftest import client_for

    now = timezone.now()
    rf.make_announcement(
        community, title="周末活动", publish_at=now + timedelta(hours=1), expires_at=now + timedelta(hours=3)
    )
    assert client_for(owner).get(MINE).json()["results"] == []  # cached until the hour comes

    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert [r["title"] for r in client_for(owner).get(MINE).json()["results"]] == ["周末活动"]
    with time_machine.travel(now + timedelta(hours=4), tick=False):
        assert client_for(owner).get(MINE).json()["results"] == []
