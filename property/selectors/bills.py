"""Bills and receipts as residents and property staff see them, and who counts as staff where.

Staff scope: a property manager or community staff member of a community sees its bills; a property
manager whose membership is scoped to one estate (`Membership.scope` = that Estate) sees that
estate's only. Anything outside the scope is a 404.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from linli.accounts.models import Role, User
from linli.accounts.selectors import roles_of
from linli.regions.households import households_of
from linli.regions.models import Building, Estate
from property.models import Bill, BillHistory, Receipt

STAFF_ROLES = (Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)


def staff_scope(user: User, *, estate_field: str = "estate_id", community_field: str = "community_id") -> Q:
    """A filter for the rows the user may see as property staff, over the model's estate and community
    fields (named by the ORM paths given). Nothing when the user is no property staff anywhere."""
    scope = Q(pk__in=[])
    for held in roles_of(user):
        if held.role not in STAFF_ROLES or held.community_id is None:
            continue
        if held.scope_type_id is None:
            scope |= Q(**{community_field: held.community_id})
        elif held.scope_type_id == ContentType.objects.get_for_model(Estate).pk:  # cached by Django
            scope |= Q(**{community_field: held.community_id, estate_field: held.scope_id})
    return scope


def staff_community_ids(user: User) -> set[int]:
    return {r.community_id for r in roles_of(user) if r.role in STAFF_ROLES and r.community_id is not None}


def _bills() -> QuerySet[Bill]:
    return Bill.objects.select_related("room__building__estate", "item", "vehicle", "receipt").order_by(
        "-period", "room_id", "item_id", "id"
    )


def bills_of(user: User) -> QuerySet[Bill]:
    """Every bill of the rooms the user is a verified resident of (any member of the household)."""
    return _bills().filter(room__in=households_of(user).values("pk"))


def bills_for_staff(user: User) -> QuerySet[Bill]:
    return _bills().filter(staff_scope(user))


def with_history(queryset: QuerySet[Bill]) -> QuerySet[Bill]:
    return queryset.prefetch_related(
        Prefetch("history", queryset=BillHistory.objects.select_related("actor").order_by("created_at", "id"))
    )


def receipts_of(user: User) -> QuerySet[Receipt]:
    """Receipts of the user's households' bills (whoever paid them), and any the user paid."""
    if not user.is_authenticated:
        return Receipt.objects.none()
    rooms = households_of(user).values("pk")
    return _receipts().filter(Q(payer=user) | Q(bills__room__in=rooms)).distinct()


def receipts_for_staff(user: User) -> QuerySet[Receipt]:
    return _receipts().filter(pk__in=Bill.objects.filter(staff_scope(user)).exclude(receipt=None).values("receipt_id"))


def _receipts() -> QuerySet[Receipt]:
    return (
        Receipt.objects.select_related("community", "recorded_by", "payer")
        .prefetch_related(Prefetch("bills", queryset=_bills().order_by("period", "room_id", "item_id", "id")))
        .order_by("-created_at", "-id")
    )


def arrears_by_building(*, user: User, estate_id: int | None = None) -> list[dict]:
    """Unpaid bills per building of the staff member's scope: how many, how much, how many rooms
    (one grouped query, plus one for the buildings' names)."""
    rows = list(
        Bill.objects.filter(staff_scope(user), status=Bill.Status.UNPAID)
        .filter(**({"estate_id": estate_id} if estate_id else {}))
        .values("room__building_id")
        .annotate(
            bill_count=Count("id"),
            room_count=Count("room_id", distinct=True),
            amount_fen=Sum("amount_fen"),
        )
        .order_by("room__building_id")
    )
    buildings = Building.objects.select_related("estate").in_bulk([r["room__building_id"] for r in rows])
    return [
        {
            "building": buildings[r["room__building_id"]],
            "bill_count": r["bill_count"],
            "room_count": r["room_count"],
            "amount_fen": r["amount_fen"] or 0,
        }
        for r in rows
    ]
