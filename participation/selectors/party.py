"""Party members as the member and community staff see them; the 在职/社区 stats."""

from django.db.models import Count, Prefetch, QuerySet, Sum

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from participation.models import PartyMember, PartyMemberHistory, PartyReport


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, Role.COMMUNITY_STAFF)


def _members() -> QuerySet[PartyMember]:
    return PartyMember.objects.select_related("community", "user").prefetch_related(
        Prefetch("reports", queryset=PartyReport.objects.select_related("community").order_by("-reported_on", "-id"))
    )


def members_of(user: User) -> QuerySet[PartyMember]:
    """The user's own registrations (current and past)."""
    return _members().filter(user=user)


def members_for_staff(user: User) -> QuerySet[PartyMember]:
    """Registrations made in the staff member's communities."""
    return _members().filter(community_id__in=staff_community_ids(user))


def with_history(queryset: QuerySet[PartyMember]) -> QuerySet[PartyMember]:
    return queryset.prefetch_related(
        Prefetch("history", queryset=PartyMemberHistory.objects.select_related("actor").order_by("created_at", "id"))
    )


def reports_for_staff(user: User) -> QuerySet[PartyReport]:
    """报到 records to the staff member's communities (wherever the member registered)."""
    return PartyReport.objects.select_related("member__user", "member__community", "community").filter(
        community_id__in=staff_community_ids(user)
    )


def member_stats(*, community_ids, start=None, end=None) -> dict:
    """Confirmed party members by kind, 报到 count, and the points they earned (their service through
    the platform: every positive 邻礼积分 entry, whatever app awarded it) split 在职 vs 社区.

    Three aggregate queries. `start`/`end` bound the points (and 报到) to a period when given."""
    confirmed = PartyMember.objects.filter(community_id__in=community_ids, status=PartyMember.Status.CONFIRMED)
    by_kind = {row["kind"]: row["n"] for row in confirmed.values("kind").annotate(n=Count("id")).order_by()}
    reports = PartyReport.objects.filter(community_id__in=community_ids)
    if start is not None:
        reports = reports.filter(created_at__gte=start, created_at__lt=end)
    # Service of confirmed members, by kind: one grouped query over the ledger (a member's user has
    # at most one confirmed registration, so nothing is counted twice). One filter() call, so the
    # sums run over the same joined entries the conditions pick.
    earned = {"user__points_account__entries__amount__gt": 0}
    if start is not None:
        earned |= {
            "user__points_account__entries__created_at__gte": start,
            "user__points_account__entries__created_at__lt": end,
        }
    service_rows = (
        confirmed.filter(**earned)
        .values("kind")
        .annotate(points=Sum("user__points_account__entries__amount"), entries=Count("user__points_account__entries"))
        .order_by()
    )
    service = {row["kind"]: row for row in service_rows}
    kinds = []
    for kind, label in PartyMember.Kind.choices:
        row = service.get(kind, {})
        kinds.append(
            {
                "kind": kind,
                "label": label,
                "members": by_kind.get(kind, 0),
                "service_points": row.get("points") or 0,
                "service_entries": row.get("entries") or 0,
            }
        )
    return {"members": kinds, "reports": reports.count()}
