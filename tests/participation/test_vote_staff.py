"""Community staff draft, open, close and publish votes; residents see results live or after close."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participation.models import Vote
from tests.conftest import client_for
from tests.participation import votes_factories as vf

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/participation/votes/"


def _draft(community, estate=None, **kw):
    now = timezone.now()
    return {
        "community": community.pk,
        "estate": estate.pk if estate else None,
        "title": "加装电梯意见征集",
        "unit": "household",
        "results_visibility": "after_close",
        "opens_at": (now - timedelta(minutes=5)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
        "questions": [
            {"kind": "single", "text": "是否同意加装？", "options": ["同意", "不同意"]},
            {"kind": "multiple", "text": "费用分摊方式", "max_choices": 1, "options": ["按楼层", "平均", "按面积"]},
            {"kind": "text", "text": "意见", "required": False},
        ],
        **kw,
    }


def test_staff_run_a_vote_from_draft_to_published_results(community, staff):
    estate = vf.make_estate(community)
    household = vf.make_household(vf.make_room(estate))
    vf.make_household(vf.make_room(estate))  # a second household that does not answer
    client = client_for(staff)
    created = client.post(STAFF, _draft(community, estate), format="json")
    assert created.status_code == 201, created.json()
    vote_id = created.json()["id"]
    resident = client_for(household)
    assert resident.get(f"/api/v1/participation/votes/{vote_id}/").status_code == 404  # a draft

    edited = client.patch(f"{STAFF}{vote_id}/", {"title": "加装电梯方案表决"}, format="json")
    assert edited.json()["title"] == "加装电梯方案表决"
    assert client.post(f"{STAFF}{vote_id}/open/").json()["status"] == "open"
    assert client.patch(f"{STAFF}{vote_id}/", {"title": "x"}, format="json").json()["code"] == "invalid_transition"

    vote = Vote.objects.get(pk=vote_id)
    assert resident.post(f"/api/v1/participation/votes/{vote_id}/answers/", vf.body(vote, text="好"), format="json")
    hidden = resident.get(f"/api/v1/participation/votes/{vote_id}/results/")
    assert (hidden.status_code, hidden.json()["code"]) == (409, "results_hidden")
    live = client.get(f"{STAFF}{vote_id}/results/").json()
    assert (live["responses"], live["eligible"], live["turnout"], live["final"]) == (1, 2, 0.5, False)
    assert live["questions"][2]["texts"] == ["好"]

    assert client.post(f"{STAFF}{vote_id}/publish/", {"outcome": "同意"}, format="json").status_code == 409
    assert client.post(f"{STAFF}{vote_id}/close/").json()["status"] == "closed"
    results = resident.get(f"/api/v1/participation/votes/{vote_id}/results/").json()
    assert results["final"] is True
    assert [o["count"] for o in results["questions"][0]["options"]] == [1, 0]
    assert results["questions"][2]["texts"] is None  # free text is for staff only
    published = client.post(f"{STAFF}{vote_id}/publish/", {"outcome": "同意加装，按楼层分摊"}, format="json")
    assert published.json()["status"] == "published"
    detail = resident.get(f"/api/v1/participation/votes/{vote_id}/").json()
    assert detail["outcome"] == "同意加装，按楼层分摊"
    assert [h["action"] for h in published.json()["history"]] == ["create", "edit", "open", "close", "publish"]


def test_live_results_show_while_the_vote_runs(community, staff):
    room = vf.make_room(vf.make_estate(community))
    household = vf.make_household(room)
    vote = vf.make_vote(community, results_visibility=Vote.Visibility.LIVE)
    response = client_for(household).get(f"/api/v1/participation/votes/{vote.pk}/results/")
    assert response.status_code == 200
    assert response.json()["final"] is False


@pytest.mark.parametrize(
    "change, field",
    [
        ({"closes_at": (timezone.now() - timedelta(days=1)).isoformat()}, "closes_at"),
        ({"questions": []}, "questions"),
        ({"questions": [{"kind": "single", "text": "?", "options": ["只有一个"]}]}, "questions.0.options"),
        ({"questions": [{"kind": "multiple", "text": "?", "options": ["a", "b"]}]}, "questions.0.max_choices"),
    ],
)
def test_it_refuses_a_malformed_draft(community, staff, change, field):
    response = client_for(staff).post(STAFF, _draft(community, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_staff_of_another_community_cannot_see_or_open_it(community, staff, other_staff):
    vote = vf.make_vote(community, open=False)
    client = client_for(other_staff)
    assert client.get(f"{STAFF}{vote.pk}/").status_code == 404
    assert client.post(f"{STAFF}{vote.pk}/open/").status_code == 404
    refused = client.post(STAFF, _draft(community), format="json")
    assert (refused.status_code, list(refused.json()["fields"])) == (400, ["community"])
    assert client_for(staff).post(f"{STAFF}{vote.pk}/cancel/", {"reason": "重复"}, format="json").json()["status"] == (
        "cancelled"
    )


def test_a_vote_past_its_closing_time_closes_once(community):
    from participation.services.votes import votes_close_due

    vote = vf.make_vote(community)
    running = vf.make_vote(community, closes_at=vote.closes_at + timedelta(days=1))
    later = vote.closes_at + timedelta(seconds=1)
    assert votes_close_due(now=later) == 1
    assert votes_close_due(now=later) == 0
    vote.refresh_from_db()
    running.refresh_from_db()
    assert (vote.status, running.status) == (Vote.Status.CLOSED, Vote.Status.OPEN)
    assert vote.history.last().note == "到截止时间自动结束"
