"""`points_earn()`: what scenario apps call when a resident earns points by a rule.

    from linli.points.earning import points_earn
    points_earn(user=volunteer, rule="volunteer_hour", community=event.community, source=shift, quantity=Decimal("2.5"))

The rule (a community's own, else the district default) sets points per unit; the award is
floor(points_per_unit × quantity), cut to what is left of the person's daily and monthly cap for that
rule (days and months in Asia/Shanghai). It returns the ledger entry, or None when no active rule
applies or nothing is left under the cap. Idempotent per (rule, source): a retried task or a second
signal returns the first entry. The source is the person's own record (the attendance, the shift, the
work order), never a shared one such as the class session: that is refused with ValueError. Caps are
summed inside the account's row lock, so one person's concurrent awards are serialised and can never
pass a cap together.
"""

from datetime import datetime, time
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from linli.points.models import EarningAward, EarningRule, EarningRuleKey, PointsEntry
from linli.points.services import ledger as services

SHANGHAI = ZoneInfo("Asia/Shanghai")


def earning_rule_for(rule: str, community) -> EarningRule | None:
    """The active rule for `rule` in `community`: the community's own if it has one, else the district
    default. A community's inactive rule switches the rule off there (it does not fall back)."""
    community_id = getattr(community, "pk", community)
    rules = {
        row.community_id: row
        for row in EarningRule.objects.filter(Q(community__isnull=True) | Q(community_id=community_id), key=rule)
    }
    chosen = rules.get(community_id) if community_id is not None else None
    if chosen is None:
        chosen = rules.get(None)
    return chosen if chosen is not None and chosen.active else None


def default_idempotency_key(rule: str, source) -> str:
    content_type = ContentType.objects.get_for_model(source)
    return f"earn:{rule}:{content_type.app_label}.{content_type.model}:{source.pk}"


def period_starts(now: datetime) -> tuple[datetime, datetime]:
    """The start of today and of this month in Asia/Shanghai, as aware datetimes."""
    local = now.astimezone(SHANGHAI)
    day = datetime.combine(local.date(), time.min, tzinfo=SHANGHAI)
    return day, day.replace(day=1)


def _as_quantity(quantity) -> Decimal:
    try:
        value = quantity if isinstance(quantity, Decimal) else Decimal(str(quantity))
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(f"quantity must be a number, got {quantity!r}") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"quantity must be positive, got {quantity!r}")
    return value


def _existing(key: str, user) -> PointsEntry | None:
    entry = PointsEntry.objects.filter(idempotency_key=key).select_related("account").first()
    if entry is not None and entry.account.user_id != user.pk:
        # The source must be the person's own (their attendance, their work order), not a shared one
        # (the session): else a second person would silently get the first one's award.
        raise ValueError(f"{key} was awarded to another user: pass a per-person source or idempotency_key")
    return entry


@transaction.atomic
def points_earn(
    *, user, rule: str, community, source, quantity=1, idempotency_key: str | None = None
) -> PointsEntry | None:
    if rule not in EarningRuleKey.values:
        raise ValueError(f"unknown earning rule {rule!r}")
    if source is None or source.pk is None:
        raise ValueError("an award points to a saved source")
    quantity = _as_quantity(quantity)
    key = idempotency_key or default_idempotency_key(rule, source)

    existing = _existing(key, user)
    if existing is not None:
        return existing
    chosen = earning_rule_for(rule, community)
    if chosen is None:
        return None
    points = int((chosen.points_per_unit * quantity).to_integral_value(rounding=ROUND_FLOOR))
    if points <= 0:
        return None

    account = services.lock_account(user)  # serialises this person's awards: the caps below hold
    existing = _existing(key, user)
    if existing is not None:
        return existing
    wanted = points
    day_start, month_start = period_starts(timezone.now())
    earned = EarningAward.objects.filter(user=user, rule=chosen, earned_at__gte=month_start).aggregate(
        month=Sum("points"), today=Sum("points", filter=Q(earned_at__gte=day_start))
    )
    if chosen.daily_cap is not None:
        points = min(points, chosen.daily_cap - (earned["today"] or 0))
    if chosen.monthly_cap is not None:
        points = min(points, chosen.monthly_cap - (earned["month"] or 0))
    if points <= 0:
        return None
    entry = services.award(
        user=account.user,
        amount=points,
        reason=f"{chosen.get_key_display()}"[:100],
        idempotency_key=key,
        source=source,
    )
    EarningAward.objects.create(
        rule=chosen,
        user=account.user,
        community_id=getattr(community, "pk", community),
        entry=entry,
        quantity=quantity.quantize(Decimal("0.01")),
        points=points,
        capped=points < wanted,
        source=source,
    )
    return entry
