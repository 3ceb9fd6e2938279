"""One answer per household holds under concurrency: the database's unique constraint decides."""

import pytest

from participation.models import Answer, Ballot, Response
from participation.services import votes as services
from tests.participation import votes_factories as vf
from tests.support.race import errors, race, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_answers_from_one_household_count_once(community):
    room = vf.make_room(vf.make_estate(community))
    members = [vf.make_household(room) for _ in range(20)]
    vote = vf.make_vote(community)
    answers = vf.answers(vote, text="同意")

    results = race_n(20, lambda i: services.vote_answer(vote=vote, user=members[i], answers=answers))

    failed = errors(results)
    assert len(failed) == 19
    assert all(isinstance(e, services.AlreadyAnswered) for e in failed), failed
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert Response.objects.filter(vote=vote).count() == 1
    assert Answer.objects.filter(response__vote=vote).count() == 3  # nothing of the losers stayed


def test_no_answer_counts_after_the_vote_closed(community):
    estate = vf.make_estate(community)
    households = [vf.make_household(vf.make_room(estate)) for _ in range(10)]
    vote = vf.make_vote(community)
    answers = vf.answers(vote)
    calls = [lambda u=u: services.vote_answer(vote=vote, user=u, answers=answers) for u in households]
    calls.insert(5, lambda: services.vote_close(vote=vote, actor=None))

    results = race(calls)

    assert all(isinstance(e, services.VoteNotAccepting) for e in errors(results)), errors(results)
    closed_at = vote.history.get(action="close").created_at
    ballots = Ballot.objects.filter(vote=vote)
    assert ballots.count() == 10 - len(errors(results))
    assert not ballots.filter(created_at__gt=closed_at).exists()
