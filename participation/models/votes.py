"""在社区当家: votes and surveys (议事/投票/问卷) that community staff open for a community or one estate.

Who answered and what they answered are kept apart. A `Ballot` records that a household (or a person)
has answered: the database's unique constraints make it one per household or per person. A
`Response` holds the answers. In a named vote it points at its ballot; in an anonymous vote it does
not, its key is random (no insertion order to match against the ballots) and it carries no time, so
neither the results, the export nor the admin can link an answer to a person (docs/api.md, "Votes and surveys").
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community, Estate, Room
from linli.workflow import Workflow
from linli.workflow.models import StatusChange


class Vote(TimestampedModel):
    """A vote (投票/议事) or survey (问卷) of a community, or of one of its estates."""

    class Kind(models.TextChoices):
        VOTE = "vote", "投票"
        SURVEY = "survey", "问卷"

    class Unit(models.TextChoices):
        HOUSEHOLD = "household", "每户一份"
        PERSON = "person", "每人一份"

    class Visibility(models.TextChoices):
        LIVE = "live", "实时公开"
        AFTER_CLOSE = "after_close", "结束后公开"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"
        PUBLISHED = "published", "已公布结果"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        EDIT = "edit", "修改"
        OPEN = "open", "发布"
        CLOSE = "close", "结束"
        PUBLISH = "publish", "公布结果"
        CANCEL = "cancel", "取消"

    VISIBLE_STATUSES = (Status.OPEN, Status.CLOSED, Status.PUBLISHED)  # what residents may see

    workflow = Workflow(
        actions=Action,
        transitions={
            Action.OPEN: ({Status.DRAFT}, Status.OPEN),
            Action.CLOSE: ({Status.OPEN}, Status.CLOSED),
            Action.PUBLISH: ({Status.CLOSED}, Status.PUBLISHED),
            Action.CANCEL: ({Status.DRAFT, Status.OPEN}, Status.CANCELLED),
        },
        history="participation.VoteHistory",
    )

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    estate = models.ForeignKey(
        Estate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="小区",
        help_text="留空表示全社区",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.VOTE)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("说明", max_length=2000, blank=True)
    unit = models.CharField("作答单位", max_length=10, choices=Unit.choices, default=Unit.HOUSEHOLD)
    anonymous = models.BooleanField("匿名", default=False, help_text="匿名时结果与导出不显示作答人")
    results_visibility = models.CharField(
        "结果公开", max_length=12, choices=Visibility.choices, default=Visibility.AFTER_CLOSE
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    outcome = models.TextField("结果说明", max_length=2000, blank=True, help_text="结束后随结果一起公布")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )

    class Meta:
        verbose_name = "投票/问卷"
        verbose_name_plural = "投票/问卷"
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="vote_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="vote_closes_after_opening"),
        ]

    def __str__(self):
        return self.title


class VoteHistory(StatusChange):
    """One step of a vote: created, edited, opened, closed, its results published, cancelled."""

    Action, Status = Vote.Action, Vote.Status
    subject_field = "vote"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="history", verbose_name="投票/问卷")

    class Meta(StatusChange.Meta):
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        TEXT = "text", "填空"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="questions", verbose_name="投票/问卷")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    text = models.CharField("题目", max_length=300)
    required = models.BooleanField("必答", default=True)
    max_choices = models.PositiveSmallIntegerField(
        "最多选几项", null=True, blank=True, validators=[MinValueValidator(1)], help_text="仅多选题"
    )
    max_length = models.PositiveSmallIntegerField(
        "字数上限", default=500, validators=[MinValueValidator(1), MaxValueValidator(2000)], help_text="仅填空题"
    )

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["vote_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "position"], name="question_unique_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.text}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name="题目")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("选项", max_length=200)

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["question_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_unique_position"),
        ]

    def __str__(self):
        return self.text


class Ballot(models.Model):
    """That a household (room) or a person has answered a vote, and who answered for it.

    The database decides "one per household / person": (vote, room) is unique for household votes
    (`room` is set only for them; someone with two households answers for each) and (vote, user) for
    person votes."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots", verbose_name="投票/问卷")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作答人",
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="房屋",
        help_text="每户一份时为作答的住户",
    )
    created_at = models.DateTimeField("作答时间", auto_now_add=True)

    class Meta:
        verbose_name = "作答登记"
        verbose_name_plural = "作答登记"
        ordering = ["vote_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "room"], condition=Q(room__isnull=False), name="ballot_one_per_household"
            ),
            models.UniqueConstraint(
                fields=["vote", "user"],
                condition=Q(user__isnull=False, room__isnull=True),
                name="ballot_one_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.vote} · {self.room or self.user}"


class Response(models.Model):
    """One answer sheet. `ballot` is set in named votes only; an anonymous sheet has a random key and no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="responses", verbose_name="投票/问卷")
    ballot = models.OneToOneField(
        Ballot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name="作答登记",
        help_text="匿名投票为空",
    )

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["vote_id", "id"]

    def __str__(self):
        return f"{self.vote} 答卷"


class Answer(models.Model):
    """One question's answer on a sheet: a chosen option (one row per option of a multiple choice) or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name="答卷")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name="题目")
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers", verbose_name="选项"
    )
    text = models.TextField("填写内容", max_length=2000, blank=True)

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        ordering = ["question_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "option"], condition=Q(option__isnull=False), name="answer_option_once"
            ),
            models.CheckConstraint(condition=Q(option__isnull=False) | ~Q(text=""), name="answer_option_or_text"),
        ]

    def __str__(self):
        return str(self.option or self.text[:20])
