"""Careful reads of the market: who is a member of which merchant, and lists with fixed query counts."""

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.accounts.selectors import community_ids_for
from linli.uploads.selectors import attachments
from merchants.models import (
    CabinetSession,
    Merchant,
    MerchantApplication,
    MerchantInvitation,
    Order,
    OrderHistory,
    OrderItem,
    Product,
    ProductImage,
    Review,
)

# Lazy (a join, not a content-type lookup now): querysets built from it run no query until used.
_MERCHANT_SCOPE = {"scope_type__app_label": "merchants", "scope_type__model": "merchant"}


def member_memberships(user) -> QuerySet[Membership]:
    """The user's merchant-member roles (position owner / staff)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role=Role.MERCHANT_MEMBER, **_MERCHANT_SCOPE)


def merchant_ids_for(user, *, owner_only: bool = False) -> set[int]:
    memberships = member_memberships(user)
    if owner_only:
        memberships = memberships.filter(position="owner")
    return set(memberships.values_list("scope_id", flat=True))


def member_merchant_ids(user) -> QuerySet:
    """The same as merchant_ids_for, lazily: used as a subquery (no extra query)."""
    return member_memberships(user).values("scope_id")


# Roles that open residents' data or official powers: their holders never join a shop.
PRIVILEGED_ROLES = [role for role in Role if role not in (Role.RESIDENT, Role.MERCHANT_MEMBER)]


def is_privileged(user) -> bool:
    """Staff, a superuser, or holder of an official role anywhere (community staff, doctor, officer …)."""
    return bool(
        user.is_staff or user.is_superuser or Membership.objects.filter(user=user, role__in=PRIVILEGED_ROLES).exists()
    )


def managed_merchant_ids(user) -> QuerySet:
    """The shops where the user is owner or manager (who sends invitations), lazily as a subquery."""
    return member_memberships(user).filter(position__in=["owner", "manager"]).values("scope_id")


def invitations_for_manager(user) -> QuerySet[MerchantInvitation]:
    """Invitations sent by the shops the user owns or manages. Another shop's is simply not there."""
    return MerchantInvitation.objects.filter(merchant_id__in=managed_merchant_ids(user)).select_related(
        "merchant", "invited_by", "user"
    )


def invitations_to(user) -> QuerySet[MerchantInvitation]:
    """Invitations to the user's phone number still waiting for an answer (code invitations are not
    addressed to anyone: they are used with the code)."""
    if not user.is_authenticated or not user.phone:
        return MerchantInvitation.objects.none()
    return MerchantInvitation.objects.filter(
        kind=MerchantInvitation.Kind.PHONE,
        phone=user.phone,
        status=MerchantInvitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("merchant__community", "invited_by")


def members_of(merchant_ids) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(role=Role.MERCHANT_MEMBER, scope_id__in=merchant_ids, **_MERCHANT_SCOPE)
        .select_related("user")
        .order_by("scope_id", "id")
    )


def member_user_ids(merchant: Merchant) -> list[int]:
    return list(members_of([merchant.pk]).values_list("user_id", flat=True))


def my_merchants(user) -> QuerySet[Merchant]:
    return Merchant.objects.filter(pk__in=member_merchant_ids(user)).select_related("community")


def _with_rating(queryset: QuerySet[Merchant]) -> QuerySet[Merchant]:
    return queryset.annotate(rating=Avg("reviews__rating"), review_count=Count("reviews", distinct=True))


def market_merchants() -> QuerySet[Merchant]:
    """Shops open for business, with their average rating (one query for any page)."""
    return _with_rating(Merchant.objects.filter(status=Merchant.Status.ACTIVE).select_related("community")).order_by(
        "community_id", "name", "id"
    )


def market_products() -> QuerySet[Product]:
    return (
        Product.objects.filter(is_on_shelf=True, merchant__status=Merchant.Status.ACTIVE)
        .select_related("merchant")
        .prefetch_related(attachments("image_links", ProductImage))
    )


def products_for_member(user) -> QuerySet[Product]:
    return (
        Product.objects.filter(merchant_id__in=member_merchant_ids(user))
        .select_related("merchant")
        .prefetch_related(attachments("image_links", ProductImage))
    )


def _order_details(queryset: QuerySet[Order], *, customer: bool = False) -> QuerySet[Order]:
    # The buyer is joined only for the shop's view: the resident is the buyer of every order they list.
    related = ("merchant", "payment_intent", "device", "acted_by", *(("user",) if customer else ()))
    return queryset.select_related(*related).prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("id"), to_attr="prefetched_items"),
        Prefetch("history", queryset=OrderHistory.objects.order_by("created_at", "id"), to_attr="prefetched_history"),
        "review",
    )


def orders_of(user) -> QuerySet[Order]:
    """A resident's own orders with items, history and review."""
    if not user.is_authenticated:
        return Order.objects.none()
    return _order_details(Order.objects.filter(user=user))


def orders_for_member(user) -> QuerySet[Order]:
    """Orders of the merchants the user is a member of. Anyone else's is simply not there (404)."""
    return _order_details(Order.objects.filter(merchant_id__in=member_merchant_ids(user)), customer=True)


def reviews_of_market() -> QuerySet[Review]:
    return Review.objects.select_related("user", "merchant")


def cabinet_sessions_of(user) -> QuerySet[CabinetSession]:
    if not user.is_authenticated:
        return CabinetSession.objects.none()
    return CabinetSession.objects.filter(user=user).select_related("device", "merchant", "order")


def applications_for_staff(user) -> QuerySet[MerchantApplication]:
    """Applications to the communities where the user is community staff."""
    return MerchantApplication.objects.filter(
        community_id__in=community_ids_for(user, Role.COMMUNITY_STAFF)
    ).select_related("applicant", "community", "reviewed_by")


def applications_of(user) -> QuerySet[MerchantApplication]:
    if not user.is_authenticated:
        return MerchantApplication.objects.none()
    return MerchantApplication.objects.filter(applicant=user).select_related("applicant", "community", "reviewed_by")


SOLD_STATUSES = [
    Order.Status.PAID,
    Order.Status.ACCEPTED,
    Order.Status.READY,
    Order.Status.COMPLETED,
    Order.Status.REFUNDED,
]


def _paid_on_local_days(date_from: date, date_to: date) -> Q:
    """Paid between local midnight of `date_from` and the midnight after `date_to` (the end excluded).

    A range on the column itself, not `paid_at__date`: the date cast (AT TIME ZONE … ::date) is
    computed for every order and keeps PostgreSQL off an index on the column.
    """
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tz)
    return Q(paid_at__gte=start, paid_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tz))


def sales_stats(*, merchant: Merchant, date_from: date, date_to: date) -> dict:
    """Paid orders of `merchant` whose payment falls in [date_from, date_to] (local dates)."""
    sold = Order.objects.filter(
        _paid_on_local_days(date_from, date_to),
        merchant=merchant,
        status__in=SOLD_STATUSES,
    )
    totals = sold.aggregate(
        orders=Count("id"),
        gross_fen=Sum("total_fen"),
        points_fen=Sum("points_fen"),
        refunded_fen=Sum("refunded_fen"),
    )
    by_day = (
        sold.annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(orders=Count("id"), gross_fen=Sum("total_fen"))
        .order_by("day")
    )
    top = (
        OrderItem.objects.filter(order__in=sold)
        .values("product_id", "name")
        .annotate(quantity=Sum("quantity"), sales_fen=Sum("subtotal_fen"))
        .order_by("-sales_fen", "name")[:10]
    )
    ratings = Review.objects.filter(merchant=merchant).aggregate(rating=Avg("rating"), reviews=Count("id"))
    gross = totals["gross_fen"] or 0
    refunded = totals["refunded_fen"] or 0
    return {
        "merchant": merchant.pk,
        "date_from": date_from,
        "date_to": date_to,
        "orders": totals["orders"],
        "gross_fen": gross,
        "points_fen": totals["points_fen"] or 0,
        "refunded_fen": refunded,
        "net_fen": gross - refunded,
        "pending_orders": Order.objects.filter(
            merchant=merchant, status__in=[Order.Status.PAID, Order.Status.ACCEPTED, Order.Status.READY]
        ).count(),
        "under_review": Order.objects.filter(merchant=merchant, status=Order.Status.UNDER_REVIEW).count(),
        "rating": round(ratings["rating"], 2) if ratings["rating"] is not None else None,
        "reviews": ratings["reviews"],
        "by_day": [{"date": row["day"], "orders": row["orders"], "gross_fen": row["gross_fen"]} for row in by_day],
        "top_products": [
            {
                "product": row["product_id"],
                "name": row["name"],
                "quantity": row["quantity"],
                "sales_fen": row["sales_fen"],
            }
            for row in top
        ],
    }


# --- the staff console's dashboard (linli/console) -------------------------------------------------


def _sold_in(*, community_ids, date_from: date, date_to: date) -> QuerySet[Order]:
    """sales_stats' definition of a sale (paid in the period, whatever happened next), for communities."""
    return Order.objects.filter(
        _paid_on_local_days(date_from, date_to),
        merchant__community_id__in=community_ids,
        status__in=SOLD_STATUSES,
    )


def market_sales_by_day(*, community_ids, date_from: date, date_to: date) -> QuerySet:
    """One GROUP BY day query: orders paid each day, their gross and refunded fen."""
    return (
        _sold_in(community_ids=community_ids, date_from=date_from, date_to=date_to)
        .annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(orders=Count("id"), gross_fen=Sum("total_fen"), refunded_fen=Sum("refunded_fen"))
        .order_by("day")
    )


def market_sales_by_community(*, community_ids, date_from: date, date_to: date) -> dict[int, int]:
    """Net sales (gross − refunded, fen) per community of the selling merchant: one grouped query."""
    rows = (
        _sold_in(community_ids=community_ids, date_from=date_from, date_to=date_to)
        .values("merchant__community_id")
        .annotate(gross=Sum("total_fen"), refunded=Sum("refunded_fen"))
    )
    return {row["merchant__community_id"]: (row["gross"] or 0) - (row["refunded"] or 0) for row in rows}


def orders_waiting(*, community_ids) -> dict[str, int]:
    """Orders staff and merchants still have to act on now: to fulfil, and to check by hand."""
    open_statuses = [Order.Status.PAID, Order.Status.ACCEPTED, Order.Status.READY]
    return Order.objects.filter(merchant__community_id__in=community_ids).aggregate(
        to_fulfil=Count("id", filter=Q(status__in=open_statuses)),
        under_review=Count("id", filter=Q(status=Order.Status.UNDER_REVIEW)),
    )
