"""Demo votes: an open vote of 春江月小区 (白云社区) on charging points for e-bikes, one household one
ballot, named, results shown live, with answers from a few neighbours. 张大爷 (dev-demo, 3幢2单元 502室)
has not answered yet: he can. Idempotent: the vote is found by its title."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.regions.models import Estate, Room
from participation.models import Vote
from participation.services import votes as services

TITLE = "春江月小区电动自行车充电桩加装方案"
QUESTIONS = [
    services.QuestionSpec(
        kind="single",
        text="您支持哪种加装方案？",
        options=["方案一：地面车棚集中加装（约 60 个）", "方案二：地下车库分区加装（约 90 个）", "暂不加装"],
    ),
    services.QuestionSpec(
        kind="multiple",
        text="您希望充电桩优先装在哪里？（最多选 2 项）",
        max_choices=2,
        options=["1幢北侧车棚", "3幢东侧空地", "地下车库入口", "小区南门"],
    ),
    services.QuestionSpec(kind="text", text="其他意见和建议", required=False, max_length=300),
]
# (option of question 1, options of question 2, text) for the first neighbours in the estate.
ANSWERS = [
    (0, [0, 1], "希望尽快装，晚上楼道充电太危险"),
    (1, [2], ""),
    (0, [1], "车棚要加装监控"),
]


def seed(log):
    estate = Estate.objects.get(community__code="baiyun", name="春江月小区")
    staff = User.objects.get(username="staff_baiyun")
    vote = Vote.objects.filter(community_id=estate.community_id, title=TITLE).first()
    if vote is not None:
        return
    now = timezone.now()
    vote = services.vote_create(
        actor=staff,
        community=estate.community,
        estate=estate,
        title=TITLE,
        description="小区居民多次反映电动自行车充电难。社区与业委会、物业拟定两种方案，请每户选出一种。"
        "投票一周，结果实时公开，结束后社区公布最终方案。",
        unit=Vote.Unit.HOUSEHOLD,
        results_visibility=Vote.Visibility.LIVE,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
        questions=QUESTIONS,
    )
    services.vote_open(vote=vote, actor=staff)
    questions = list(vote.questions.prefetch_related("options").order_by("position"))
    neighbours = (
        Membership.objects.filter(
            role=Role.RESIDENT,
            scope_type=ContentType.objects.get_for_model(Room),
            scope_id__in=Room.objects.filter(building__estate=estate).values("pk"),
            user__wechat_openid__startswith="demo-",
        )
        .select_related("user")
        .order_by("scope_id", "id")
    )
    answered_rooms = set()
    for membership, (single, multiple, text) in zip(neighbours, ANSWERS, strict=False):
        if membership.scope_id in answered_rooms:
            continue
        answered_rooms.add(membership.scope_id)
        options = [list(q.options.all()) for q in questions]
        answers = [
            services.AnswerSpec(question=questions[0].pk, options=[options[0][single].pk]),
            services.AnswerSpec(question=questions[1].pk, options=[options[1][i].pk for i in multiple]),
        ]
        if text:
            answers.append(services.AnswerSpec(question=questions[2].pk, text=text))
        services.vote_answer(vote=vote, user=membership.user, answers=answers)
    log(f"participation: {TITLE} 进行中，已收答卷 {vote.responses.count()} 份")
