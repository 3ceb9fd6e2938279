"""Quality-gate registrations for the vote endpoints (see tests/quality/registry.py)."""

from participation.services import votes as services
from tests.participation import votes_factories as vf


def _my_room(persona):
    """A room of the persona's community whose household the persona (a resident) belongs to."""
    room = vf.make_room(vf.make_estate(persona.community))
    vf.make_household(room, user=persona.user)
    return room


def _answered_vote(persona, room, **kw):
    vote = vf.make_vote(persona.community, **kw)
    services.vote_answer(vote=vote, user=vf.make_household(room), answers=vf.answers(vote, text="好"))
    return vote


# --- lists: maker(persona, n) creates n more rows the persona sees -------------------------------


def my_votes(persona, n):
    room = _my_room(persona)
    for i in range(n):
        if i % 2:
            _answered_vote(persona, room, estate=room.building.estate)
        else:
            vf.make_vote(persona.community)


def community_votes(persona, n):
    room = vf.make_room(vf.make_estate(persona.community))
    for _ in range(n):
        _answered_vote(persona, room, actor=persona.user)


LIST_DATA = {
    "/api/v1/participation/votes/": ("resident", my_votes),
    "/api/v1/staff/participation/votes/": ("staff", community_votes),
}


# --- other GETs: maker(persona) → path parameters of an object the persona may see -------------


def my_vote(persona):
    room = _my_room(persona)
    vote = _answered_vote(persona, room, results_visibility="live")
    services.vote_answer(vote=vote, user=persona.user, answers=vf.answers(vote), room=_my_room(persona))
    return {"id": vote.pk}


def a_community_vote(persona):
    room = vf.make_room(vf.make_estate(persona.community))
    return {"id": _answered_vote(persona, room, actor=persona.user).pk}


DETAIL_BUDGETS = {
    # 1 token user, 1 the vote (community, estate, answered), 2 questions and options,
    # 1 my ballots with their rooms, 1 my households in the vote's scope
    "/api/v1/participation/votes/{id}/": ("resident", my_vote, 6),
    # 1 token user, 1 the vote, 5 the results (questions, options, counts per option and per question,
    # answer sheets), 1 eligible households
    "/api/v1/participation/votes/{id}/results/": ("resident", my_vote, 8),
    # 1 token user, 1 memberships, 1 the vote (community, estate, creator, answer sheets),
    # 2 questions and options, 1 history with actors
    "/api/v1/staff/participation/votes/{id}/": ("staff", a_community_vote, 6),
    # as the resident's results, plus 1 the staff member's memberships and 1 the free-text answers
    "/api/v1/staff/participation/votes/{id}/results/": ("staff", a_community_vote, 10),
}


# --- personal data ----------------------------------------------------------------------------------


def give_ballots(user):
    from tests import factories

    community = factories.make_community()
    room = vf.make_room(vf.make_estate(community))
    vf.make_household(room, user=user)
    vote = vf.make_vote(community)
    services.vote_answer(vote=vote, user=user, answers=vf.answers(vote, text="我家楼道灯坏了"))
    return ["我家楼道灯坏了"]


PRIVACY_DATA = {"participation": give_ballots}
EXPORT_QUERIES = {"participation": 2}  # the ballots with their votes and rooms, the named answers
