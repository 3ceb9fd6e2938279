"""Verified households for the 5,000 residents, property managers, and 20,000 work orders.

* Each community gets a bench estate (10 buildings × 2 units × 12 floors × 3 rooms = 720 rooms);
  resident i lives in a room of community i % 3, two or three residents to a room. Each has an
  approved `Verification` and the scoped resident role `Membership(role=RESIDENT, scope=<Room>)`,
  exactly what `residents.services.verification_approve` leaves behind.
* 10 property managers per community; the staff work-order scenario signs in as those of the
  second community (persona "property_manager").
* 20,000 work orders of those residents over the last 180 days, newest mostly open, older ones
  resolved, closed (most rated) or cancelled, each with its "submit" timeline step.
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.accounts.tokens import RefreshToken
from linli.regions.models import Building, Estate, Room
from residents.models import (
    Relation,
    Verification,
    WorkOrder,
    WorkOrderCategory,
    WorkOrderHistory,
)

NAME = "work_orders"
ORDER = 10
BATCH = 2_000
BUILDINGS, UNITS, FLOORS, ROOMS_PER_FLOOR = 10, 2, 12, 3
MANAGERS_PER_COMMUNITY = 10
HISTORY = timedelta(days=180)
S = WorkOrder.Status

DESCRIPTIONS = [
    ("repair", "厨房水龙头一直滴水，关不紧。"),
    ("repair", "卫生间下水道堵塞，积水严重。"),
    ("repair", "楼道感应灯不亮，晚上出行不便。"),
    ("repair", "电梯按键失灵，请尽快维修。"),
    ("complaint", "楼上夜间噪音太大，影响休息。"),
    ("complaint", "消防通道经常有车辆占用。"),
    ("suggestion", "建议在小区花园增加几张休息长椅。"),
    ("suggestion", "建议增设电动车充电桩。"),
]


def _places(communities) -> dict[int, list[Room]]:
    rooms_of = {}
    for n, community in enumerate(communities, start=1):
        estate, _ = Estate.objects.get_or_create(
            community=community, name=f"邻礼基准{n}号小区", defaults={"address": f"{community.name}基准路 {n} 号"}
        )
        Building.objects.bulk_create(
            [Building(estate=estate, name=f"{b}幢", unit=f"{u}单元") for b in range(1, BUILDINGS + 1) for u in (1, 2)],
            ignore_conflicts=True,
        )
        buildings = list(Building.objects.filter(estate=estate).order_by("id"))
        Room.objects.bulk_create(
            [
                Room(building=building, number=f"{floor}0{r}", floor=floor)
                for building in buildings
                for floor in range(1, FLOORS + 1)
                for r in range(1, ROOMS_PER_FLOOR + 1)
            ],
            ignore_conflicts=True,
        )
        rooms_of[community.pk] = list(Room.objects.filter(building__estate=estate).order_by("id"))
    return rooms_of


def _households(communities, residents, rooms_of, reviewer) -> dict[int, Room]:
    now = timezone.now()
    room_type = ContentType.objects.get_for_model(Room)
    room_of, verifications, memberships = {}, [], []
    occupants: dict[int, int] = {}
    for i, user in enumerate(residents):
        community = communities[i % len(communities)]
        rooms = rooms_of[community.pk]
        room = rooms[(i // len(communities)) % len(rooms)]
        room_of[user.pk] = room
        n = occupants[room.pk] = occupants.get(room.pk, 0) + 1
        relation = Relation.OWNER if n == 1 else (Relation.FAMILY if n == 2 else Relation.TENANT)
        verifications.append(
            Verification(
                user=user,
                room=room,
                community=community,
                relation=relation,
                real_name=user.display_name,
                phone=user.phone,
                status=Verification.Status.APPROVED,
                reviewed_by=reviewer,
                reviewed_at=now,
            )
        )
        memberships.append(
            Membership(
                user=user,
                role=Role.RESIDENT,
                community=community,
                scope_type=room_type,
                scope_id=room.pk,
                position=relation,
            )
        )
    Verification.objects.bulk_create(verifications, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return room_of


def _managers(communities) -> dict[int, list[User]]:
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"bench_pm{c.pk}_{j}", display_name=f"{c.name}物业{j}", password=unusable)
            for c in communities
            for j in range(MANAGERS_PER_COMMUNITY)
        ]
    )
    per = MANAGERS_PER_COMMUNITY
    managers = {c.pk: users[k * per : (k + 1) * per] for k, c in enumerate(communities)}
    Membership.objects.bulk_create(
        [Membership(user=u, role=Role.PROPERTY_MANAGER, community_id=c) for c, us in managers.items() for u in us]
    )
    return managers


def _status(age: float, rng: random.Random) -> str:
    """Newest orders are mostly open; older ones resolved, closed or (5 %) cancelled."""
    if age < 0.05:
        return S.SUBMITTED
    if age < 0.10:
        return S.ASSIGNED
    if age < 0.15:
        return S.IN_PROGRESS
    if age < 0.22:
        return S.RESOLVED
    return S.CANCELLED if rng.random() < 0.05 else S.CLOSED


def _work_orders(ctx, communities, residents, room_of, managers) -> int:
    rng = random.Random(3)
    now = timezone.now()
    categories = list(WorkOrderCategory.objects.order_by("id"))
    count = ctx.targets["work_orders"]
    orders = []
    for k in range(count):
        i = rng.randrange(len(residents))
        user, community = residents[i], communities[i % len(communities)]
        age = k / count  # 0 = newest
        created = now - HISTORY * age - timedelta(minutes=rng.randrange(60))
        category = categories[k % len(categories)]
        kind, description = DESCRIPTIONS[k % len(DESCRIPTIONS)]
        status = _status(age, rng)
        handled = status not in (S.SUBMITTED, S.CANCELLED)
        done = status in (S.RESOLVED, S.CLOSED)
        orders.append(
            WorkOrder(
                community=community,
                reporter=user,
                room=room_of[user.pk],
                kind=kind,
                category=category,
                description=description,
                contact_phone=user.phone,
                status=status,
                assignee=rng.choice(managers[community.pk]) if handled else None,
                response_due_at=created + category.response_time,
                resolution_due_at=created + category.resolution_time,
                responded_at=created + timedelta(minutes=30) if handled else None,
                resolved_at=created + timedelta(hours=5) if done else None,
                closed_at=created + timedelta(days=1) if status in (S.CLOSED, S.CANCELLED) else None,
                resolution_note="已处理完毕。" if done else "",
                rating=rng.choice((3, 4, 5, 5, 5, None)) if status == S.CLOSED else None,
            )
        )
    WorkOrder.objects.bulk_create(orders, batch_size=BATCH)
    first_id = min(o.pk for o in orders)
    WorkOrderHistory.objects.bulk_create(
        [
            WorkOrderHistory(
                work_order=o, action=WorkOrderHistory.Action.SUBMIT, to_status=S.SUBMITTED, actor=o.reporter
            )
            for o in orders
        ],
        batch_size=BATCH,
    )
    # created_at defaults to now: put each order back at its filing time.
    order_table, category_table = WorkOrder._meta.db_table, WorkOrderCategory._meta.db_table
    event_table = WorkOrderHistory._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {order_table} w SET created_at = w.response_due_at - make_interval(hours => c.response_hours), "
            f"updated_at = COALESCE(w.closed_at, w.resolved_at, w.responded_at, "
            f"w.response_due_at - make_interval(hours => c.response_hours)) "
            f"FROM {category_table} c WHERE c.id = w.category_id AND w.id >= %s",
            [first_id],
        )
        cursor.execute(
            f"UPDATE {event_table} e SET created_at = w.created_at FROM {order_table} w "
            f"WHERE e.work_order_id = w.id AND w.id >= %s",
            [first_id],
        )
    return count


def generate(ctx) -> dict:
    communities, residents = ctx.shared["communities"], ctx.shared["residents"]
    reviewer = User.objects.filter(memberships__role=Role.COMMUNITY_STAFF).order_by("id").first()
    rooms_of = _places(communities)
    room_of = _households(communities, residents, rooms_of, reviewer)
    managers = _managers(communities)
    made = _work_orders(ctx, communities, residents, room_of, managers)
    # The staff work-order list: property managers of one community (the second: 白云 in the demo order).
    ctx.fixtures["tokens"]["property_manager"] = [
        str(RefreshToken.for_user(u).access_token) for u in managers[communities[1].pk]
    ]
    ctx.shared["room_of"] = room_of
    return {"work_orders": made, "verified_residents": len(room_of)}
