"""Votes and surveys as residents and community staff see them: who may answer (verified households of
the vote's community or estate), turnout and results.

A resident sees the open, closed and published votes of the communities and estates where they have a
verified household; anything else (drafts, cancelled votes, other communities) is a 404. Staff see every
vote of the communities where they are community staff.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.accounts.selectors import community_ids_for
from linli.regions.households import households_of
from linli.regions.models import Room
from participation.models import Answer, Ballot, Question, Response, Vote

STAFF_ROLES = (Role.COMMUNITY_STAFF,)


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, *STAFF_ROLES)


# --- who may answer -------------------------------------------------------------------------------


def _rooms_in_scope(vote: Vote) -> QuerySet[Room]:
    rooms = Room.objects.filter(building__estate__community_id=vote.community_id)
    if vote.estate_id is not None:
        rooms = rooms.filter(building__estate_id=vote.estate_id)
    return rooms


def _residencies_in_scope(vote: Vote) -> QuerySet[Membership]:
    return Membership.objects.filter(
        role=Role.RESIDENT,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id__in=_rooms_in_scope(vote).values("pk"),
    )


def eligible_count(vote: Vote) -> int:
    """Households (rooms with a verified resident) or persons (verified residents) who may answer, now.

    One query. Counted when asked: a household verified while the vote runs counts (and may answer)."""
    residencies = _residencies_in_scope(vote)
    field = "scope_id" if vote.unit == Vote.Unit.HOUSEHOLD else "user_id"
    return residencies.aggregate(n=Count(field, distinct=True))["n"]


def households_for_vote(user: User, vote: Vote) -> QuerySet[Room]:
    """The user's verified households inside the vote's community (and estate)."""
    rooms = households_of(user).filter(building__estate__community_id=vote.community_id)
    if vote.estate_id is not None:
        rooms = rooms.filter(building__estate_id=vote.estate_id)
    return rooms


# --- lists and details ------------------------------------------------------------------------------


def _answered(user: User) -> Exists:
    mine = households_of(user).values("pk")
    return Exists(Ballot.objects.filter(Q(user=user) | Q(room__in=mine), vote=OuterRef("pk")))


def votes_for_resident(user: User) -> QuerySet[Vote]:
    """Votes the user may answer (or could, once closed), with `answered`: whether the user (or, in a
    household vote, their household) has answered."""
    if not user.is_authenticated:
        return Vote.objects.none()
    mine = households_of(user)
    return (
        Vote.objects.filter(
            Q(estate__isnull=True) | Q(estate_id__in=mine.values("building__estate_id")),
            status__in=Vote.VISIBLE_STATUSES,
            community_id__in=mine.values("building__estate__community_id"),
        )
        .select_related("community", "estate")
        .annotate(answered=_answered(user))
        .order_by("-opens_at", "-id")
    )


def votes_for_staff(user: User) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(community_id__in=staff_community_ids(user))
        .select_related("community", "estate", "created_by")
        .annotate(responses_count=Count("responses"))
        .order_by("-opens_at", "-id")
    )


def with_questions(queryset: QuerySet[Vote]) -> QuerySet[Vote]:
    return queryset.prefetch_related("questions__options")


def my_ballots(user: User, vote: Vote) -> list[Ballot]:
    """The ballots that count for the user in this vote: theirs, and in a household vote their households'."""
    mine = households_of(user).values("pk")
    return list(
        Ballot.objects.filter(Q(user=user) | Q(room__in=mine), vote=vote)
        .select_related("room__building__estate")
        .order_by("id")
    )


# --- results ----------------------------------------------------------------------------------------


def is_accepting(vote: Vote, now=None) -> bool:
    now = now or timezone.now()
    return vote.status == Vote.Status.OPEN and vote.opens_at <= now < vote.closes_at


def is_over(vote: Vote, now=None) -> bool:
    """Closed, published, or open past its closing time (answers are refused from then on)."""
    now = now or timezone.now()
    return vote.status in (Vote.Status.CLOSED, Vote.Status.PUBLISHED) or (
        vote.status == Vote.Status.OPEN and now >= vote.closes_at
    )


def results_visible_to_residents(vote: Vote) -> bool:
    if vote.status not in Vote.VISIBLE_STATUSES:
        return False
    return vote.results_visibility == Vote.Visibility.LIVE or is_over(vote)


def results(vote: Vote, *, with_texts: bool) -> dict:
    """Counts per option, answers per question, turnout, and (for staff) the free-text answers.

    Five queries (six with texts), whatever the number of questions and answers."""
    questions = list(vote.questions.prefetch_related("options").order_by("position", "id"))  # 2
    answers = Answer.objects.filter(response__vote=vote)
    per_option = dict(
        answers.filter(option__isnull=False).values_list("option_id").annotate(n=Count("id")).order_by()
    )  # 1
    per_question = dict(
        answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)).order_by()
    )  # 1
    responses = Response.objects.filter(vote=vote).count()  # 1
    eligible = eligible_count(vote)  # 1
    texts: dict[int, list[str]] = {}
    if with_texts:
        # Ordered by the answer's random key: the order says nothing about who answered when.
        rows = answers.filter(question__kind=Question.Kind.TEXT).values_list("question_id", "text").order_by("id")
        for question_id, text in rows:
            texts.setdefault(question_id, []).append(text)
    return {
        "responses": responses,
        "eligible": eligible,
        "turnout": round(responses / eligible, 4) if eligible else None,
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "kind": q.kind,
                "text": q.text,
                "answered": per_question.get(q.pk, 0),
                "options": [
                    {"id": o.pk, "position": o.position, "text": o.text, "count": per_option.get(o.pk, 0)}
                    for o in q.options.all()
                ],
                "texts": texts.get(q.pk, []) if with_texts and q.kind == Question.Kind.TEXT else None,
            }
            for q in questions
        ],
    }


def turnout_rows(community_ids, since) -> list[dict]:
    """For the console: votes of these communities open now or closed since `since`, with their
    responses. One query; the eligible counts are added by the caller."""
    return list(
        Vote.objects.filter(community_id__in=community_ids, status__in=Vote.VISIBLE_STATUSES)
        .filter(Q(status=Vote.Status.OPEN) | Q(closes_at__gte=since))
        .annotate(n=Count("responses"))
        .values("id", "title", "community_id", "estate_id", "unit", "status", "n")
        .order_by("-opens_at", "-id")
    )
