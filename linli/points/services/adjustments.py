"""Staff award or deduct points by hand, with a reason, within a monthly limit per staff member.

The staff member's row is locked first, so their concurrent adjustments run one at a time and the
month's sum is read under that lock: the limit is decided by the database, not by luck.
"""

import uuid

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Abs
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.selectors import community_ids_for
from linli.api.errors import ConflictError, NotFoundError, field_error
from linli.limits.services import lock_person
from linli.points.earning import period_starts
from linli.points.models import DEFAULT_MONTHLY_LIMIT, AdjustmentLimit, ManualAdjustment
from linli.points.services.ledger import award, spend


class AdjustmentLimitReached(ConflictError):
    code = "adjustment_limit_reached"
    default_message = "已超过本月手工调整积分上限"


def monthly_limit(community) -> int:
    return (
        AdjustmentLimit.objects.filter(community=community).values_list("monthly_points", flat=True).first()
        or DEFAULT_MONTHLY_LIMIT
    )


def adjusted_this_month(*, staff, community) -> int:
    _, month_start = period_starts(timezone.now())
    used = ManualAdjustment.objects.filter(staff=staff, community=community, created_at__gte=month_start).aggregate(
        n=Sum(Abs("amount"))
    )["n"]
    return used or 0


@transaction.atomic
def points_adjust(*, staff, user, community, amount: int, reason: str) -> ManualAdjustment:
    """`amount` > 0 awards, < 0 deducts (never below a zero balance: 409 insufficient_points)."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", "请填写调整原因")
    if amount == 0:
        raise field_error("amount", "调整积分不能为 0")
    if not staff.is_superuser and community.pk not in community_ids_for(staff, Role.COMMUNITY_STAFF):
        raise NotFoundError("社区不存在")
    if community.pk not in community_ids_for(user, Role.RESIDENT):
        raise NotFoundError("该社区没有这位居民")
    lock_person(staff)
    limit = monthly_limit(community)
    used = adjusted_this_month(staff=staff, community=community)
    if used + abs(amount) > limit:
        raise AdjustmentLimitReached(
            f"本月手工调整上限 {limit} 分，已用 {used} 分", extra={"limit": limit, "used": used}
        )
    move = award if amount > 0 else spend
    entry = move(
        user=user,
        amount=abs(amount),
        reason=f"社区{'奖励' if amount > 0 else '扣减'}：{reason}"[:100],
        # Each call is a new adjustment; the API's Idempotency-Key is what dedupes a retried request.
        idempotency_key=f"adjust:{uuid.uuid4().hex}",
    )
    return ManualAdjustment.objects.create(
        community=community, staff=staff, user=user, amount=amount, reason=reason[:200], entry=entry
    )
