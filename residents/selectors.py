"""Reads that need care: scoping to a user's communities, joins and annotations for lists."""

from datetime import datetime
from statistics import median

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.regions.models import Building, Community, Estate, Room
from linli.uploads.selectors import attachments
from residents.models import (
    Announcement,
    AnnouncementRead,
    Verification,
    WorkOrder,
    WorkOrderHistory,
    WorkOrderPhoto,
    WorkOrderResolutionPhoto,
)

STAFF_ROLES = (Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)


# --- places --------------------------------------------------------------------------------------


def estates_with_rooms() -> QuerySet[Estate]:
    """Estates with their buildings and rooms: three queries whatever the page holds."""
    rooms = Room.objects.order_by("number")
    buildings = Building.objects.order_by("name", "unit").prefetch_related(Prefetch("rooms", queryset=rooms))
    return Estate.objects.select_related("community").prefetch_related(Prefetch("buildings", queryset=buildings))


def community_ids_for_resident(user: User) -> set[int]:
    return community_ids_for(user, Role.RESIDENT)


def is_verified_resident(user: User, community_id: int) -> bool:
    return community_id in community_ids_for(user, Role.RESIDENT)


# --- verifications -------------------------------------------------------------------------------


def _verifications() -> QuerySet[Verification]:
    return Verification.objects.select_related("room__building__estate", "community", "user", "reviewed_by")


def verifications_of(user: User) -> QuerySet[Verification]:
    if not user.is_authenticated:
        return Verification.objects.none()
    return _verifications().filter(user=user)


def verifications_for_staff(user: User) -> QuerySet[Verification]:
    """Applications in the communities where the user is community staff."""
    return _verifications().filter(community_id__in=community_ids_for(user, Role.COMMUNITY_STAFF))


# --- work orders ---------------------------------------------------------------------------------


def overdue_condition(now: datetime) -> Q:
    """Not answered within the response time, or not resolved within the resolution time."""
    return Q(status=WorkOrder.Status.SUBMITTED, response_due_at__lt=now) | Q(
        status__in=WorkOrder.OPEN_STATUSES, resolution_due_at__lt=now
    )


def with_overdue(queryset: QuerySet[WorkOrder], now: datetime | None = None) -> QuerySet[WorkOrder]:
    now = now or timezone.now()
    return queryset.annotate(
        is_overdue=Case(
            When(overdue_condition(now), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def _work_orders() -> QuerySet[WorkOrder]:
    # The people come from one narrow query after the rows (linli.accounts.querysets): joining the user
    # table four times made PostgreSQL plan the page for ~20 ms.
    return with_overdue(
        WorkOrder.objects.select_related("community", "category", "room__building__estate").with_users(
            "reporter", "assignee", "filed_by", "followed_up_by", "acted_by"
        )
    )


def work_orders_of(user: User) -> QuerySet[WorkOrder]:
    """A resident's own orders (also those staff filed on their behalf)."""
    if not user.is_authenticated:
        return WorkOrder.objects.none()
    return _work_orders().filter(reporter=user)


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, *STAFF_ROLES)


def work_orders_for_staff(user: User) -> QuerySet[WorkOrder]:
    """Every order of the communities where the user is a property manager or community staff."""
    return _work_orders().filter(community_id__in=staff_community_ids(user))


def with_timeline(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """What the detail shows besides the row: the timeline, the photos and the resolution photos, in order."""
    return queryset.prefetch_related(
        Prefetch("history", queryset=WorkOrderHistory.objects.select_related("actor").order_by("created_at", "id")),
        attachments("photo_links", WorkOrderPhoto),
        attachments("resolution_photo_links", WorkOrderResolutionPhoto),
    )


def is_property_manager(user: User, community_id: int) -> bool:
    return community_id in community_ids_for(user, Role.PROPERTY_MANAGER)


def is_staff_of(user: User, community_id: int) -> bool:
    return community_id in community_ids_for(user, *STAFF_ROLES)


def property_managers_of(community_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__role=Role.PROPERTY_MANAGER, memberships__community_id=community_id, is_active=True
    ).distinct()


def work_order_handlers(community_id: int) -> QuerySet[User]:
    """Whom a work order of the community may be assigned to (its active property managers), each with the
    number of orders of that community they are working on (`open_work_orders`)."""
    working = Q(
        assigned_work_orders__community_id=community_id,
        assigned_work_orders__status__in=(WorkOrder.Status.ASSIGNED, WorkOrder.Status.IN_PROGRESS),
    )
    return (
        property_managers_of(community_id)
        .annotate(open_work_orders=Count("assigned_work_orders", filter=working, distinct=True))
        .order_by("id")
    )


def community_staff_of(community_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__role=Role.COMMUNITY_STAFF, memberships__community_id=community_id, is_active=True
    ).distinct()


def work_order_stats_rows(*, community_ids, start: datetime, end: datetime) -> QuerySet:
    """One query: the columns the stats need for every order created in [start, end)."""
    return WorkOrder.objects.filter(community_id__in=community_ids, created_at__gte=start, created_at__lt=end).values(
        "community_id",
        "status",
        "kind",
        "created_at",
        "responded_at",
        "resolved_at",
        "resolution_due_at",
        "rating",
    )


# --- announcements -------------------------------------------------------------------------------


def published(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(publish_at__lte=now) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def announcements_for(user: User) -> QuerySet[Announcement]:
    """Published announcements of the communities where the user is a resident, with read state."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    return (
        Announcement.objects.filter(published(), community_id__in=community_ids_for(user, Role.RESIDENT))
        .select_related("community")
        .annotate(is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)))
    )


def announcement_cards(community_ids, now: datetime | None = None) -> QuerySet[Announcement]:
    """Published announcements of these communities, without anyone's read state (the shared cards)."""
    return Announcement.objects.filter(published(now), community_id__in=community_ids).select_related("community")


def announcements_change_at(community_ids, now: datetime | None = None) -> datetime | None:
    """When the published announcements of these communities next change with the clock alone: the
    next one is published, or one expires."""
    now = now or timezone.now()
    mine = Announcement.objects.filter(community_id__in=community_ids)
    moments = mine.aggregate(
        publish=Min("publish_at", filter=Q(publish_at__gt=now)),
        expire=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    return min((m for m in moments.values() if m is not None), default=None)


def read_announcement_ids(user: User, announcement_ids) -> set[int]:
    """Which of these announcements the user has read."""
    return set(
        AnnouncementRead.objects.filter(user=user, announcement_id__in=announcement_ids)
        .order_by()
        .values_list("announcement_id", flat=True)
    )


def announcements_for_staff(user: User) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(community_id__in=community_ids_for(user, Role.COMMUNITY_STAFF))
        .select_related("community", "created_by")
        .annotate(read_count=Count("reads"))
        .order_by("-pinned", "-publish_at", "-id")  # Meta.ordering does not apply to a GROUP BY query
    )


def _median_minutes(durations: list[float]) -> float | None:
    return round(median(durations) / 60, 1) if durations else None


def work_order_stats(*, user: User, start: datetime, end: datetime) -> list[dict]:
    """Per community the user works for: counts by status and kind, median response and resolution
    minutes, on-time rate and average rating of the orders created in [start, end).

    Two queries (the communities, the orders' few columns); medians are computed here so the
    same code runs on SQLite and PostgreSQL.
    """
    communities = list(Community.objects.filter(pk__in=staff_community_ids(user)).order_by("pk"))
    stats = {
        c.pk: {
            "community": c,
            "rows": [],
        }
        for c in communities
    }
    for row in work_order_stats_rows(community_ids=list(stats), start=start, end=end):
        stats[row["community_id"]]["rows"].append(row)

    out = []
    for entry in stats.values():
        rows = entry["rows"]
        responses = [(r["responded_at"] - r["created_at"]).total_seconds() for r in rows if r["responded_at"]]
        resolved = [r for r in rows if r["resolved_at"]]
        resolutions = [(r["resolved_at"] - r["created_at"]).total_seconds() for r in resolved]
        on_time = sum(1 for r in resolved if r["resolved_at"] <= r["resolution_due_at"])
        ratings = [r["rating"] for r in rows if r["rating"] is not None]
        out.append(
            {
                "community": entry["community"],
                "total": len(rows),
                "by_status": {s: sum(1 for r in rows if r["status"] == s) for s in WorkOrder.Status.values},
                "by_kind": {k: sum(1 for r in rows if r["kind"] == k) for k in WorkOrder.Kind.values},
                "median_response_minutes": _median_minutes(responses),
                "median_resolution_minutes": _median_minutes(resolutions),
                "on_time_rate": round(on_time / len(resolved), 4) if resolved else None,
                "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
                "rated": len(ratings),
            }
        )
    return out


# --- the staff console's dashboard (linli/console) -----------------------------------------------


def work_order_totals(*, community_ids, start: datetime, end: datetime) -> dict:
    """One aggregate query over the orders created in [start, end): counts by status, how many were
    resolved and how many of those on time, the mean rating. The definitions are work_order_stats'
    (the staff stats endpoint), so the dashboard and the endpoint agree."""
    orders = WorkOrder.objects.filter(community_id__in=community_ids, created_at__gte=start, created_at__lt=end)
    resolved = Q(resolved_at__isnull=False)
    row = orders.aggregate(
        total=Count("pk"),
        resolved=Count("pk", filter=resolved),
        on_time=Count("pk", filter=resolved & Q(resolved_at__lte=F("resolution_due_at"))),
        average_rating=Avg("rating"),
        rated=Count("rating"),
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in WorkOrder.Status.values},
    )
    return {
        "total": row["total"],
        "by_status": {value: row[f"status_{value}"] for value in WorkOrder.Status.values},
        "resolved": row["resolved"],
        "on_time_rate": round(row["on_time"] / row["resolved"], 4) if row["resolved"] else None,
        "average_rating": round(row["average_rating"], 2) if row["average_rating"] is not None else None,
        "rated": row["rated"],
    }


def work_orders_by_day(*, community_ids, start: datetime, end: datetime) -> QuerySet:
    """One GROUP BY day query: orders created each day, and how many of them were resolved on time."""
    return (
        WorkOrder.objects.filter(community_id__in=community_ids, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            created=Count("pk"),
            on_time=Count("pk", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due_at"))),
        )
        .order_by("day")
    )


def work_order_response_by_community(*, community_ids, start: datetime, end: datetime) -> dict[int, float | None]:
    """响应力: of the orders whose resolution deadline fell in [start, end) (and has passed, or that
    were resolved already), the share resolved within it, × 100. One query grouped by community."""
    now = timezone.now()
    due = WorkOrder.objects.filter(
        community_id__in=community_ids, resolution_due_at__gte=start, resolution_due_at__lt=min(end, now)
    ).exclude(status=WorkOrder.Status.CANCELLED)
    rows = due.values("community_id").annotate(
        due=Count("pk"), on_time=Count("pk", filter=Q(resolved_at__lte=F("resolution_due_at")))
    )
    return {row["community_id"]: row["on_time"] / row["due"] * 100 for row in rows if row["due"]}


def work_order_satisfaction_by_community(*, community_ids, start: datetime, end: datetime) -> dict[int, float | None]:
    """满意度: mean rating (1–5) of the orders closed in [start, end) ÷ 5 × 100. One grouped query."""
    rows = (
        WorkOrder.objects.filter(
            community_id__in=community_ids, closed_at__gte=start, closed_at__lt=end, rating__isnull=False
        )
        .values("community_id")
        .annotate(rating=Avg("rating"))
    )
    return {row["community_id"]: float(row["rating"]) / 5 * 100 for row in rows}
