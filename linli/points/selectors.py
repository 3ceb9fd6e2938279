from datetime import date, datetime, time

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.accounts.selectors import community_ids_for
from linli.points.earning import SHANGHAI
from linli.points.models import (
    EarningAward,
    EarningRuleKey,
    ManualAdjustment,
    PointsAccount,
    PointsEntry,
    Redemption,
    RedemptionItem,
)


def balance_of(user: User) -> int:
    """The user's balance (0 before their first movement)."""
    if not user.is_authenticated:
        return 0
    return PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def entries_of(user: User) -> QuerySet[PointsEntry]:
    """A user's own ledger entries, newest first; nobody else's are visible."""
    if not user.is_authenticated:
        return PointsEntry.objects.none()
    return PointsEntry.objects.filter(account__user=user).order_by("-created_at", "-id")


# --- the redemption catalogue -------------------------------------------------------------------


def staff_community_ids(user: User) -> set[int] | None:
    """The communities a staff member works in; None for a superuser (all of them)."""
    return None if user.is_superuser else community_ids_for(user, Role.COMMUNITY_STAFF)


def _in(queryset: QuerySet, ids: set[int] | None, field: str = "community_id") -> QuerySet:
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def catalogue_for(user: User) -> QuerySet[RedemptionItem]:
    """Items a resident may redeem now: active, in their window, in one of their communities."""
    if not user.is_authenticated:
        return RedemptionItem.objects.none()
    now = timezone.now()
    return (
        RedemptionItem.objects.filter(community_id__in=community_ids_for(user, Role.RESIDENT), active=True)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=now))
        .filter(Q(available_until__isnull=True) | Q(available_until__gt=now))
        .select_related("community")
        .order_by("community_id", "points_price", "id")
    )


def items_for_staff(user: User) -> QuerySet[RedemptionItem]:
    return _in(RedemptionItem.objects.select_related("community"), staff_community_ids(user)).order_by("-id")


def redemptions_of(user: User) -> QuerySet[Redemption]:
    if not user.is_authenticated:
        return Redemption.objects.none()
    return Redemption.objects.filter(user=user).select_related("item", "community").order_by("-created_at", "-id")


def redemptions_for_staff(user: User) -> QuerySet[Redemption]:
    queryset = Redemption.objects.select_related("item", "community", "user", "verified_by")
    return _in(queryset, staff_community_ids(user)).order_by("-created_at", "-id")


def redemptions_for_merchant(user: User) -> QuerySet[Redemption]:
    """Redemptions of the vouchers that the merchants the user is a member of accept."""
    if not user.is_authenticated:
        return Redemption.objects.none()
    scopes = Membership.objects.filter(user=user, role=Role.MERCHANT_MEMBER, scope_type__isnull=False).values_list(
        "scope_type_id", "scope_id"
    )
    match = Q(pk__in=[])
    for scope_type_id, scope_id in scopes:
        match |= Q(item__merchant_type_id=scope_type_id, item__merchant_id=scope_id)
    return Redemption.objects.filter(match).select_related("item", "community").order_by("-created_at", "-id")


def adjustments_for_staff(user: User) -> QuerySet[ManualAdjustment]:
    queryset = ManualAdjustment.objects.select_related("community", "staff", "user", "entry")
    return _in(queryset, staff_community_ids(user)).order_by("-created_at", "-id")


# --- the monthly statement ----------------------------------------------------------------------


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=SHANGHAI)
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=SHANGHAI)


def statement(user: User, month: date) -> dict:
    """积分月结单: opening balance, what was earned (by rule, and otherwise), spent, closing balance and
    the month's entries, oldest first. Four queries whatever the month holds."""
    start, end = month_bounds(month)
    mine = PointsEntry.objects.filter(account__user=user)
    opening = (
        mine.filter(created_at__lt=start).order_by("-created_at", "-id").values_list("balance_after", flat=True).first()
        or 0
    )
    entries = list(mine.filter(created_at__gte=start, created_at__lt=end).order_by("created_at", "id"))
    by_rule = dict(
        EarningAward.objects.filter(user=user, entry__created_at__gte=start, entry__created_at__lt=end)
        .values_list("rule__key")
        .annotate(points=Sum("points"))
        .order_by()
    )
    earned = sum(e.amount for e in entries if e.amount > 0)
    spent = -sum(e.amount for e in entries if e.amount < 0)
    by_rule_rows = [
        {"rule": key, "label": label, "points": by_rule[key]} for key, label in EarningRuleKey.choices if key in by_rule
    ]
    return {
        "month": month.strftime("%Y-%m"),
        "opening_balance": opening,
        "earned": earned,
        "earned_by_rule": by_rule_rows,
        "earned_otherwise": earned - sum(by_rule.values()),
        "spent": spent,
        "closing_balance": opening + earned - spent,
        "entries": entries,
    }
