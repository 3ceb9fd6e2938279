"""Anonymous votes: who answered is kept apart from what was answered."""

import json

import pytest

from linli.accounts import privacy
from participation.models import Ballot, Response, Vote
from participation.services import votes as services
from tests.participation import votes_factories as vf

pytestmark = pytest.mark.django_db


def test_an_anonymous_answer_cannot_be_linked_to_its_household(community):
    room = vf.make_room(vf.make_estate(community))
    household = vf.make_household(room, display_name="张大爷")
    vote = vf.make_vote(community, anonymous=True)
    ballot = services.vote_answer(vote=vote, user=household, answers=vf.answers(vote, text="楼道太暗"))
    sheet = Response.objects.get(vote=vote)
    assert sheet.ballot_id is None
    assert {f.name for f in Response._meta.concrete_fields} == {"id", "vote", "ballot"}  # no time to match on
    assert ballot.room_id == room.pk  # the one-per-household register still holds
    exported = json.dumps(privacy.export_user_data(household), ensure_ascii=False)
    assert vote.title in exported and "楼道太暗" not in exported


def test_a_named_answer_is_exported_and_its_text_erased_with_the_account(community):
    room = vf.make_room(vf.make_estate(community))
    household = vf.make_household(room)
    vote = vf.make_vote(community, anonymous=False)
    services.vote_answer(vote=vote, user=household, answers=vf.answers(vote, text="楼道太暗"))
    assert "楼道太暗" in json.dumps(privacy.export_user_data(household), ensure_ascii=False)
    privacy.erase_user(user=household)
    assert Ballot.objects.get(vote=vote).user_id is None  # the household's ballot still counts
    assert not Vote.objects.filter(responses__answers__text="楼道太暗").exists()
