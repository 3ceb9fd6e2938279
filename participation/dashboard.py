"""What the participation app contributes to the staff console: the turnout of votes and surveys."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery

from linli.accounts.models import Membership, Role
from linli.console.registry import Metric, Scope, WidgetData, widget
from linli.regions.models import Room
from participation.models import Vote
from participation.selectors import votes as selectors


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


@widget("participation_vote_turnout", "投票参与率", order=60)
def vote_turnout(scope: Scope) -> WidgetData | None:
    """Votes open now or closed within the period, each with its turnout. Two queries."""
    start, _ = scope.bounds()
    votes = selectors.turnout_rows(scope.community_ids, since=start)  # 1
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
