"""Votes and surveys: community staff draft one with its questions, open, close and cancel it, and publish
its outcome with the results; verified residents answer it, once per household or once per person.

"Once" is the database's: a `Ballot` row per household (unique on vote + room) or per person (unique on
vote + user) is inserted before the answers, in the same transaction; the loser of a race hits the
constraint and gets 409 `already_answered`, and nothing of its answers stays.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, NotFoundError, field_error
from linli.regions.models import Community, Estate, Room
from linli.workflow import check, lock, record_step, refuse, transition
from participation.models import Answer, Ballot, Option, Question, Response, Vote
from participation.selectors import votes as selectors

MAX_QUESTIONS = 50
MAX_OPTIONS = 30


class AlreadyAnswered(ConflictError):
    code = "already_answered"
    default_message = "您（或您家）已参与过本次投票，每户/每人只能提交一次"


class VoteNotAccepting(ConflictError):
    code = "vote_not_accepting"
    default_message = "投票不在进行中，不能提交"


class ResultsHidden(ConflictError):
    code = "results_hidden"
    default_message = "投票结束后才公布结果"


@dataclass
class QuestionSpec:
    kind: str
    text: str
    required: bool = True
    max_choices: int | None = None
    max_length: int = 500
    options: list[str] = field(default_factory=list)


@dataclass
class AnswerSpec:
    question: int
    options: list[int] = field(default_factory=list)
    text: str = ""


# --- staff ------------------------------------------------------------------------------------------


def _check_times(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise field_error("closes_at", "截止时间须晚于开始时间")


def _check_estate(community: Community, estate: Estate | None) -> None:
    if estate is not None and estate.community_id != community.pk:
        raise field_error("estate", "小区不属于该社区")


def _check_questions(questions: list[QuestionSpec]) -> None:
    if not questions:
        raise field_error("questions", "至少需要一道题目")
    if len(questions) > MAX_QUESTIONS:
        raise field_error("questions", f"题目不能超过 {MAX_QUESTIONS} 道")
    for i, q in enumerate(questions):
        where = f"questions.{i}"
        if q.kind == Question.Kind.TEXT:
            if q.options:
                raise field_error(f"{where}.options", "填空题不设选项")
            continue
        options = [o.strip() for o in q.options]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise field_error(f"{where}.options", f"选择题需要 2 到 {MAX_OPTIONS} 个选项")
        if not all(options) or len(set(options)) != len(options):
            raise field_error(f"{where}.options", "选项不能为空或重复")
        if q.kind == Question.Kind.MULTIPLE and not (q.max_choices and 1 <= q.max_choices <= len(options)):
            raise field_error(f"{where}.max_choices", "多选题须设置最多选几项（1 到选项数之间）")


def _write_questions(vote: Vote, questions: list[QuestionSpec]) -> None:
    vote.questions.all().delete()
    for position, spec in enumerate(questions, start=1):
        question = Question.objects.create(
            vote=vote,
            position=position,
            kind=spec.kind,
            text=spec.text.strip(),
            required=spec.required,
            max_choices=spec.max_choices if spec.kind == Question.Kind.MULTIPLE else None,
            max_length=spec.max_length,
        )
        if spec.kind != Question.Kind.TEXT:
            Option.objects.bulk_create(
                Option(question=question, position=n, text=text.strip()) for n, text in enumerate(spec.options, 1)
            )


@transaction.atomic
def vote_create(
    *,
    actor: User | None,
    community: Community,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    questions: list[QuestionSpec],
    estate: Estate | None = None,
    kind: str = Vote.Kind.VOTE,
    description: str = "",
    unit: str = Vote.Unit.HOUSEHOLD,
    anonymous: bool = False,
    results_visibility: str = Vote.Visibility.AFTER_CLOSE,
) -> Vote:
    """A draft vote or survey with its questions; residents see it once it is opened."""
    _check_estate(community, estate)
    _check_times(opens_at, closes_at)
    _check_questions(questions)
    vote = Vote.objects.create(
        community=community,
        estate=estate,
        kind=kind,
        title=title,
        description=description,
        unit=unit,
        anonymous=anonymous,
        results_visibility=results_visibility,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    _write_questions(vote, questions)
    record_step(vote, Vote.Action.CREATE, actor=actor, from_status="")
    return vote


EDITABLE = {
    "title",
    "description",
    "kind",
    "estate",
    "unit",
    "anonymous",
    "results_visibility",
    "opens_at",
    "closes_at",
}


@transaction.atomic
def vote_update(*, vote: Vote, actor: User | None, questions: list[QuestionSpec] | None = None, **changes) -> Vote:
    """Edit a draft (its questions are replaced when given). Once opened, a vote's terms stay as announced,
    except that an open vote's closing time may be moved (not before now)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    lock(vote)
    vote.refresh_from_db()
    if vote.status == Vote.Status.OPEN and set(changes) <= {"closes_at"} and questions is None:
        if changes and changes["closes_at"] <= timezone.now():
            raise field_error("closes_at", "截止时间须晚于当前时间")
    elif vote.status != Vote.Status.DRAFT:
        raise refuse(vote, "修改")
    if "estate" in changes:
        _check_estate(vote.community, changes["estate"])
    for name, value in changes.items():
        setattr(vote, name, value)
    _check_times(vote.opens_at, vote.closes_at)
    if questions is not None:
        _check_questions(questions)
        _write_questions(vote, questions)
    vote.save()
    record_step(vote, Vote.Action.EDIT, actor=actor)
    return vote


@transaction.atomic
def vote_open(*, vote: Vote, actor: User | None) -> Vote:
    """Publish a draft to the residents who may answer. A vote whose closing time has passed cannot open."""
    check(vote, Vote.Action.OPEN)
    if vote.closes_at <= timezone.now():
        raise field_error("closes_at", "截止时间已过，请先修改截止时间")
    transition(vote, Vote.Action.OPEN, actor=actor)
    return vote


@transaction.atomic
def vote_close(*, vote: Vote, actor: User | None) -> Vote:
    """Stop answers now (also what the closing time does by itself: answers after it are refused)."""
    now = timezone.now()
    transition(vote, Vote.Action.CLOSE, actor=actor)
    if vote.closes_at > now:
        Vote.objects.filter(pk=vote.pk).update(closes_at=max(now, vote.opens_at + timedelta(seconds=1)))
        vote.refresh_from_db(fields=["closes_at"])
    return vote


@transaction.atomic
def vote_publish(*, vote: Vote, actor: User | None, outcome: str) -> Vote:
    """Publish the outcome (a text) with the results: residents see both from now on."""
    if not outcome.strip():
        raise field_error("outcome", "请填写结果说明")
    transition(vote, Vote.Action.PUBLISH, actor=actor, outcome=outcome.strip(), published_at=timezone.now())
    return vote


@transaction.atomic
def vote_cancel(*, vote: Vote, actor: User | None, reason: str) -> Vote:
    if not reason.strip():
        raise field_error("reason", "请填写取消原因")
    transition(vote, Vote.Action.CANCEL, actor=actor, note=reason.strip())
    return vote


# --- residents --------------------------------------------------------------------------------------


def _clean_answers(vote: Vote, answers: list[AnswerSpec]) -> list[tuple[Question, list[Option], str]]:
    questions = {q.pk: q for q in vote.questions.prefetch_related("options")}
    seen: set[int] = set()
    cleaned = []
    for i, spec in enumerate(answers):
        where = f"answers.{i}"
        question = questions.get(spec.question)
        if question is None:
            raise field_error(f"{where}.question", "题目不属于本次投票")
        if question.pk in seen:
            raise field_error(f"{where}.question", "同一题目只能回答一次")
        seen.add(question.pk)
        if question.kind == Question.Kind.TEXT:
            text = spec.text.strip()
            if spec.options:
                raise field_error(f"{where}.options", "填空题不能选择选项")
            if len(text) > question.max_length:
                raise field_error(f"{where}.text", f"不能超过 {question.max_length} 字")
            if text:
                cleaned.append((question, [], text))
            elif question.required:
                raise field_error(f"{where}.text", "此题必答")
            continue
        if spec.text:
            raise field_error(f"{where}.text", "选择题不能填写内容")
        by_id = {o.pk: o for o in question.options.all()}
        if len(set(spec.options)) != len(spec.options) or not set(spec.options) <= set(by_id):
            raise field_error(f"{where}.options", "选项不属于此题或重复")
        limit = 1 if question.kind == Question.Kind.SINGLE else question.max_choices
        if len(spec.options) > limit:
            raise field_error(f"{where}.options", "单选题只能选一项" if limit == 1 else f"最多选 {limit} 项")
        if spec.options:
            cleaned.append((question, [by_id[o] for o in spec.options], ""))
        elif question.required:
            raise field_error(f"{where}.options", "此题必答")
    missing = [q for q in questions.values() if q.required and q.pk not in seen]
    if missing:
        first = min(missing, key=lambda q: q.position)
        raise DomainError(
            f"第 {first.position} 题为必答题",
            code="validation_error",
            fields={"answers": [f"第 {first.position} 题为必答题"]},
        )
    return cleaned


_SHARE_LOCK = 'SELECT "status", "closes_at" FROM "participation_vote" WHERE "id" = %s FOR SHARE'


def _read_for_answering(vote: Vote) -> None:
    """Re-read the vote's status and closing time under a share lock (PostgreSQL): answers do not wait
    for each other, but a close (its FOR UPDATE) waits for the answers in flight, and answers that come
    after it see it closed. SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_SHARE_LOCK, [vote.pk])
            vote.status, vote.closes_at = cursor.fetchone()
    else:
        vote.refresh_from_db(fields=["status", "closes_at"])


@transaction.atomic
def vote_answer(*, vote: Vote, user: User, answers: list[AnswerSpec], room: Room | None = None) -> Ballot:
    """A verified resident answers: for their household (`room`, which may be left out when they have one
    household in the vote's scope) or for themself, as the vote says. Returns the ballot."""
    rooms = list(selectors.households_for_vote(user, vote))
    if not rooms:
        raise NotFoundError("投票不存在")  # not theirs to answer: as if it did not exist
    _read_for_answering(vote)
    if not selectors.is_accepting(vote):
        raise VoteNotAccepting(
            "投票尚未开始" if vote.status == Vote.Status.OPEN and timezone.now() < vote.opens_at else None,
            extra={"status": vote.status},
        )
    household = None
    if vote.unit == Vote.Unit.HOUSEHOLD:
        if room is None:
            if len(rooms) > 1:
                raise field_error("room", "您在本小区有多处住房，请选择代表哪一户作答")
            household = rooms[0]
        else:
            household = next((r for r in rooms if r.pk == room.pk), None)
            if household is None:
                raise field_error("room", "该房屋不是您在本次投票范围内的住户")
    cleaned = _clean_answers(vote, answers)
    try:
        with transaction.atomic():  # the constraint decides who was first; the loser leaves nothing behind
            ballot = Ballot.objects.create(vote=vote, user=user, room=household)
    except IntegrityError:
        raise AlreadyAnswered() from None
    response = Response.objects.create(vote=vote, ballot=None if vote.anonymous else ballot)
    Answer.objects.bulk_create(
        Answer(response=response, question=question, option=option, text="")
        if option is not None
        else Answer(response=response, question=question, text=text)
        for question, options, text in cleaned
        for option in (options or [None])
    )
    return ballot


def votes_close_due(*, now: datetime | None = None) -> int:
    """Close the open votes whose closing time has passed (beat). Answers are refused from that time
    whether or not this has run; it makes the status say so. Each vote is re-locked and re-checked,
    so running it twice, or beside a staff member's close, does no harm. Returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    for vote_id in Vote.objects.filter(status=Vote.Status.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            vote = Vote.objects.select_for_update().filter(pk=vote_id, status=Vote.Status.OPEN).first()
            if vote is None:
                continue
            transition(vote, Vote.Action.CLOSE, actor=None, note="到截止时间自动结束", locked=True)
            closed += 1
    return closed
