"""Residents answer a vote: choices checked against the questions, one ballot per household (or person)."""

from datetime import timedelta

import pytest

from participation.models import Answer, Ballot, Vote
from tests.conftest import client_for
from tests.participation import votes_factories as vf

pytestmark = pytest.mark.django_db


def _url(vote, what="answers"):
    return f"/api/v1/participation/votes/{vote.pk}/{what}/"


@pytest.fixture
def room(community):
    return vf.make_room(vf.make_estate(community, name="春江月小区"), number="502")


@pytest.fixture
def household(room):
    return vf.make_household(room, display_name="张大爷")


def test_it_counts_one_answer_per_household(community, room, household):
    vote = vf.make_vote(community)
    response = client_for(household).post(
        _url(vote), vf.body(vote, single=1, multiple=(0, 2), text="好"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["room"] == room.pk
    # Another member of the same household: the household has answered.
    spouse = vf.make_household(room, display_name="李阿姨")
    again = client_for(spouse).post(_url(vote), vf.body(vote), format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_answered"
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert Answer.objects.filter(response__vote=vote).count() == 4  # 1 + 2 options + 1 text
    detail = client_for(spouse).get(f"/api/v1/participation/votes/{vote.pk}/").json()
    assert detail["answered"] is True
    assert detail["my_ballots"][0]["by_me"] is False


def test_it_counts_each_person_in_a_person_vote(community, room, household):
    vote = vf.make_vote(community, unit=Vote.Unit.PERSON)
    spouse = vf.make_household(room)
    assert client_for(household).post(_url(vote), vf.body(vote), format="json").status_code == 201
    assert client_for(spouse).post(_url(vote), vf.body(vote), format="json").status_code == 201
    again = client_for(spouse).post(_url(vote), vf.body(vote), format="json")
    assert again.json()["code"] == "already_answered"
    assert Ballot.objects.filter(vote=vote, room__isnull=True).count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda b, q: b["answers"][0]["options"].append(q[1][1][1]), "answers.0.options"),  # two on single choice
        (lambda b, q: b["answers"][1].update(options=q[2][1]), "answers.1.options"),  # three of max 2
        (lambda b, q: b["answers"][0].update(options=[q[2][1][0]]), "answers.0.options"),  # another question's
        (lambda b, q: b["answers"].pop(0), "answers"),  # a required question left out
        (lambda b, q: b["answers"].append({"question": q[3][0], "text": "长" * 21}), "answers.2.text"),
        (lambda b, q: b["answers"].append(dict(b["answers"][0])), "answers.2.question"),  # twice
        (lambda b, q: b["answers"].append({"question": 2**62, "options": []}), "answers.2.question"),
    ],
)
def test_it_refuses_answers_off_the_questions(community, household, change, field):
    vote = vf.make_vote(community)
    body = vf.body(vote)
    change(body, vf.ids(vote))
    response = client_for(household).post(_url(vote), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Ballot.objects.filter(vote=vote).exists()


def test_it_refuses_answers_outside_the_vote_times(community, household):
    draft = vf.make_vote(community, open=False)
    assert client_for(household).post(_url(draft), vf.body(draft), format="json").status_code == 404
    vote = vf.make_vote(community)
    Vote.objects.filter(pk=vote.pk).update(closes_at=vote.opens_at + timedelta(seconds=1))
    response = client_for(household).post(_url(vote), vf.body(vote), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "vote_not_accepting"


def test_it_hides_votes_of_other_estates_and_communities(community, other_community, household):
    elsewhere = vf.make_vote(other_community)
    other_estate = vf.make_vote(community, estate=vf.make_estate(community))
    mine = vf.make_vote(community)
    client = client_for(household)
    listed = [v["id"] for v in client.get("/api/v1/participation/votes/").json()["results"]]
    assert listed == [mine.pk]
    for vote in (elsewhere, other_estate):
        assert client.get(f"/api/v1/participation/votes/{vote.pk}/").status_code == 404
        assert client.post(_url(vote), vf.body(vote), format="json").status_code == 404
    # A resident of the community without a household there sees nothing.
    outsider = vf.make_household(vf.make_room(vf.make_estate(other_community)))
    assert client_for(outsider).get(f"/api/v1/participation/votes/{mine.pk}/").status_code == 404


def test_it_asks_which_household_when_i_have_two(community, household, room):
    second = vf.make_room(room.building.estate, number="601")
    vf.make_household(second, user=household)
    vote = vf.make_vote(community)
    client = client_for(household)
    assert client.post(_url(vote), vf.body(vote), format="json").json()["fields"].keys() == {"room"}
    assert client.post(_url(vote), {**vf.body(vote), "room": second.pk}, format="json").status_code == 201
    assert client.post(_url(vote), {**vf.body(vote), "room": room.pk}, format="json").status_code == 201
    assert client.post(_url(vote), {**vf.body(vote), "room": room.pk}, format="json").status_code == 409
