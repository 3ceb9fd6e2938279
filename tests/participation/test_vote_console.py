"""The console's vote-turnout widget: each vote's answers over the households (or persons) who may answer."""

import pytest
from django.utils import timezone

from linli.console.registry import Scope
from participation.dashboard import vote_turnout
from participation.models import Vote
from participation.services import votes as services
from tests.participation import votes_factories as vf
from tests.quality.query_budget import assert_num_queries

pytestmark = pytest.mark.django_db


def test_it_shows_each_votes_turnout(community, other_community):
    estate = vf.make_estate(community)
    rooms = [vf.make_room(estate) for _ in range(4)]
    members = [vf.make_household(room) for room in rooms]
    vf.make_household(rooms[0])  # a second person in the first household
    vf.make_household(vf.make_room(vf.make_estate(community)))  # another estate of the community
    by_household = vf.make_vote(community, estate=estate, title="按户投票")
    by_person = vf.make_vote(community, unit=Vote.Unit.PERSON, title="按人问卷")
    vf.make_vote(other_community, title="别的社区")
    for user in members[:2]:
        services.vote_answer(vote=by_household, user=user, answers=vf.answers(by_household))
    services.vote_answer(vote=by_person, user=members[0], answers=vf.answers(by_person))

    scope = Scope(community_ids=[community.pk], end=timezone.localdate())
    with assert_num_queries(2):
        data = vote_turnout.compute(scope)

    assert dict(data.breakdown) == {"按户投票": 50.0, "按人问卷": round(100 / 6, 1)}  # 2 of 4 rooms; 1 of 6 persons
    assert {m.key: m.value for m in data.metrics} == {"open": 2, "responses": 3, "turnout": 30.0}  # 3 of 10
