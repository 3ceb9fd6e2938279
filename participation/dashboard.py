"""What 红色礼享家 and 在社区当家 contribute to the staff console: the turnout of votes and surveys;
party members by type (with their service in 邻礼积分 during the period, 在职 vs 社区), 报到, projects by
status and resources by kind. It reads the same selectors as GET /api/v1/staff/participation/stats/.

No 服务力指数 component: the four components are owned by the apps whose data defines them (参与度 by
events' attendances, 共富度 by the points ledger and the market). A party member's volunteering reaches
参与度 and 共富度 through those apps already; counting it again here would weigh it twice."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery

from linli.accounts.models import Membership, Role
from linli.console.registry import Metric, Scope, WidgetData, widget
from linli.regions.models import Room
from participation.models import Vote
from participation.selectors import alliance, party
from participation.selectors import votes as vote_selectors


@widget("party_alliance", "红色礼享家：党员与党建联盟", order=60)
def party_and_alliance(scope: Scope) -> WidgetData | None:
    start, end = scope.bounds()
    members = party.member_stats(community_ids=scope.community_ids, start=start, end=end)  # 3 queries
    lists = alliance.alliance_stats(community_ids=scope.community_ids)  # 2 queries
    by_kind = {row["kind"]: row for row in members["members"]}
    projects = {row["status"]: row["count"] for row in lists["projects"]}
    total_members = sum(row["members"] for row in members["members"])
    if not total_members and not any(projects.values()) and not any(r["count"] for r in lists["resources"]):
        return None  # no party members, projects or resources here: nothing to show
    workplace, community = by_kind["workplace"], by_kind["community"]
    return WidgetData(
        metrics=[
            Metric("workplace_members", "在职党员", workplace["members"], "人"),
            Metric("community_members", "社区党员", community["members"], "人"),
            Metric("reports", f"近{scope.days}天报到", members["reports"], "人次"),
            Metric("workplace_service", "在职党员服务积分", workplace["service_points"], "分"),
            Metric("community_service", "社区党员服务积分", community["service_points"], "分"),
            Metric("projects_running", "进行中项目", projects.get("in_progress", 0), "个"),
            Metric("projects_completed", "已完成项目", projects.get("completed", 0), "个"),
        ],
        breakdown=[(row["label"], float(row["count"])) for row in lists["resources"]],
        breakdown_title="已发布资源（按类型）",
    )


def _eligible_by_estate(community_ids) -> dict[tuple[int, int], tuple[int, int]]:
    """(community id, estate id) → (households, persons) with a verified resident. One query."""
    estate = Room.objects.filter(pk=OuterRef("scope_id")).values("building__estate_id")[:1]
    rows = (
        Membership.objects.filter(
            role=Role.RESIDENT, community_id__in=community_ids, scope_type=ContentType.objects.get_for_model(Room)
        )
        .annotate(estate_id=Subquery(estate))
        .values("community_id", "estate_id")
        .annotate(households=Count("scope_id", distinct=True), persons=Count("user_id", distinct=True))
        .order_by()
    )
    return {(r["community_id"], r["estate_id"]): (r["households"], r["persons"]) for r in rows}


def _eligible(vote: dict, by_estate) -> int:
    index = 0 if vote["unit"] == Vote.Unit.HOUSEHOLD else 1
    # A person living in two estates of a community counts in both: close enough for a console number.
    return sum(
        counts[index]
        for (community_id, estate_id), counts in by_estate.items()
        if community_id == vote["community_id"] and vote["estate_id"] in (None, estate_id)
    )


@widget("participation_vote_turnout", "投票参与率", order=61)
def vote_turnout(scope: Scope) -> WidgetData | None:
    """Votes open now or closed within the period, each with its turnout. Two queries."""
    start, _ = scope.bounds()
    votes = vote_selectors.turnout_rows(scope.community_ids, since=start)  # 1
    if not votes:
        return None
    by_estate = _eligible_by_estate(scope.community_ids)  # 1
    rates = []
    for vote in votes:
        eligible = _eligible(vote, by_estate)
        rates.append((vote["title"], round(100 * vote["n"] / eligible, 1) if eligible else 0.0))
    answered = sum(v["n"] for v in votes)
    eligible = sum(_eligible(v, by_estate) for v in votes)
    return WidgetData(
        metrics=[
            Metric("open", "进行中", sum(1 for v in votes if v["status"] == Vote.Status.OPEN), "项"),
            Metric("responses", "已收答卷", answered, "份"),
            Metric("turnout", "平均参与率", round(100 * answered / eligible, 1) if eligible else None, "%"),
        ],
        breakdown=rates[:10],
        breakdown_title="各投票参与率（%）",
    )
