"""Factories for the vote tests: estates with rooms, verified households, a vote with one question of each kind."""

import itertools
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import Role
from linli.regions.models import Building, Estate, Room
from participation.models import Vote
from participation.services import votes as services
from tests import factories

_seq = itertools.count(1)


def make_estate(community, *, name=None) -> Estate:
    return Estate.objects.create(community=community, name=name or f"小区{next(_seq)}")


def make_room(estate, *, building="3幢", unit="2单元", number=None) -> Room:
    building, _ = Building.objects.get_or_create(estate=estate, name=building, unit=unit)
    return Room.objects.create(building=building, number=number or f"{next(_seq):03d}", floor=1)


def make_household(room, user=None, **kw):
    """A verified resident of `room` (a new one, or `user`) → the user."""
    user = user or factories.make_resident(**kw)
    factories.grant(
        user,
        Role.RESIDENT,
        community=room.building.estate.community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position="owner",
    )
    return user


def questions():
    return [
        services.QuestionSpec(kind="single", text="支持哪个方案？", options=["方案一", "方案二", "暂不"]),
        services.QuestionSpec(kind="multiple", text="装在哪里？", max_choices=2, options=["北侧", "东侧", "车库"]),
        services.QuestionSpec(kind="text", text="其他意见", required=False, max_length=20),
    ]


def make_vote(community, *, estate=None, open=True, actor=None, **kw) -> Vote:
    now = timezone.now()
    fields = {
        "title": f"投票{next(_seq)}",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=3),
        **kw,
    }
    vote = services.vote_create(actor=actor, community=community, estate=estate, questions=questions(), **fields)
    if open:
        services.vote_open(vote=vote, actor=actor)
    return vote


def ids(vote):
    """{position: (question id, [option ids])}."""
    return {q.position: (q.pk, [o.pk for o in q.options.all()]) for q in vote.questions.prefetch_related("options")}


def answers(vote, *, single=0, multiple=(0,), text=""):
    q = ids(vote)
    out = [
        services.AnswerSpec(question=q[1][0], options=[q[1][1][single]]),
        services.AnswerSpec(question=q[2][0], options=[q[2][1][i] for i in multiple]),
    ]
    if text:
        out.append(services.AnswerSpec(question=q[3][0], text=text))
    return out


def body(vote, **kw):
    """The same answers as a request body."""
    return {"answers": [{"question": a.question, "options": a.options, "text": a.text} for a in answers(vote, **kw)]}
