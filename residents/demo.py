"""Demo data: estates, buildings and rooms of the three communities, the SLA categories, 张大爷
(dev-demo) verified in 白云 春江月小区 with points and a history of work orders, and announcements.
Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.points.services import award
from linli.regions.models import Community
from residents import services
from residents.models import (
    Announcement,
    Building,
    Estate,
    Relation,
    Room,
    WorkOrder,
    WorkOrderCategory,
    WorkOrderEvent,
)

CATEGORIES = [
    # name, response hours, resolution hours
    ("水电维修", 2, 24),
    ("门窗维修", 4, 48),
    ("公共设施", 4, 72),
    ("环境卫生", 2, 24),
    ("噪音投诉", 1, 12),
    ("停车管理", 2, 24),
    ("电梯故障", 1, 8),
    ("绿化养护", 8, 120),
    ("其他", 4, 72),
]

ESTATES = [
    # community code, estate, address, buildings (name, units)
    ("doutan", "斗潭小区", "衢州市柯城区斗潭路", [("1幢", ["1单元", "2单元"]), ("2幢", ["1单元"])]),
    ("baiyun", "春江月小区", "衢州市柯城区白云街道春江路", [("1幢", ["1单元"]), ("3幢", ["1单元", "2单元"])]),
    ("huilong", "回龙小区", "衢州市柯城区回龙路", [("1幢", ["1单元", "2单元"])]),
]
FLOORS, ROOMS_PER_FLOOR = 6, 2

ANNOUNCEMENTS = [
    # community code, title, body, pinned
    (
        "baiyun",
        "春江月小区二次供水设施清洗通知",
        "本周六 8:00–12:00 清洗二次供水水箱，期间 1幢、3幢 停水，请提前储水。",
        True,
    ),
    ("baiyun", "博爱幸福驿站医保到家服务时间调整", "自下月起，医保到家服务时间调整为每周二、四上午。", False),
    ("doutan", "幸福学堂秋季课程报名开始", "智能手机使用、书法、太极等课程开放报名，名额有限。", True),
    ("huilong", "回龙市集周末开市", "每周六、周日上午回龙市集开市，欢迎居民选购新鲜果蔬。", False),
]


def _places(log) -> None:
    for code, estate_name, address, buildings in ESTATES:
        community = Community.objects.get(code=code)
        estate, _ = Estate.objects.get_or_create(community=community, name=estate_name, defaults={"address": address})
        for building_name, units in buildings:
            for unit in units:
                building, _ = Building.objects.get_or_create(estate=estate, name=building_name, unit=unit)
                Room.objects.bulk_create(
                    [
                        Room(building=building, number=f"{floor}0{n}", floor=floor)
                        for floor in range(1, FLOORS + 1)
                        for n in range(1, ROOMS_PER_FLOOR + 1)
                    ],
                    ignore_conflicts=True,
                )


def _demo_room() -> Room:
    return Room.objects.get(
        building__estate__name="春江月小区", building__name="3幢", building__unit="2单元", number="502"
    )


def _verify(user: User, room: Room, staff: User) -> None:
    scope = {"scope_type": ContentType.objects.get_for_model(Room), "scope_id": room.pk}
    if Membership.objects.filter(user=user, role=Role.RESIDENT, **scope).exists():
        return
    verification = services.verification_submit(
        user=user, room=room, relation=Relation.OWNER, real_name="张建国", phone="13905700001"
    )
    services.verification_approve(verification=verification, reviewer=staff)


def _shift_history(order: WorkOrder, offsets_hours: list[float], started: timedelta) -> None:
    """Spread the order's timeline over the past: step i happens offsets_hours[i] after filing."""
    base = timezone.now() - started
    events = list(order.events.order_by("created_at", "id"))
    previous = base
    for event, hours in zip(events, offsets_hours, strict=True):
        at = base + timedelta(hours=hours)
        WorkOrderEvent.objects.filter(pk=event.pk).update(
            created_at=at, duration_seconds=int((at - previous).total_seconds())
        )
        previous = at
    times = {e.action: base + timedelta(hours=h) for e, h in zip(events, offsets_hours, strict=True)}
    category = order.category
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=base,
        response_due_at=base + category.response_time,
        resolution_due_at=base + category.resolution_time,
        responded_at=times.get(WorkOrderEvent.Action.ASSIGN),
        resolved_at=times.get(WorkOrderEvent.Action.RESOLVE),
        closed_at=times.get(WorkOrderEvent.Action.CONFIRM),
    )


def _work_orders(user: User, room: Room, handler: User) -> None:
    if WorkOrder.objects.filter(reporter=user).exists():
        return
    category = {c.name: c for c in WorkOrderCategory.objects.all()}

    # Closed and rated: a leaking kitchen tap, three weeks ago.
    order = services.work_order_submit(
        reporter=user,
        kind=WorkOrder.Kind.REPAIR,
        category=category["水电维修"],
        description="厨房水龙头一直滴水，关不紧。",
        room=room,
    )
    services.work_order_assign(work_order=order, actor=handler, assignee=handler)
    services.work_order_start(work_order=order, actor=handler, note="下午上门")
    services.work_order_resolve(work_order=order, actor=handler, note="已更换水龙头阀芯，试水正常。")
    services.work_order_confirm(work_order=order, actor=user, rating=5, comment="师傅来得很快，谢谢！")
    _shift_history(order, [0, 0.5, 3, 5, 20], started=timedelta(days=21))

    # Resolved, waiting for 张大爷 to confirm: a corridor light, two days ago.
    order = services.work_order_submit(
        reporter=user,
        kind=WorkOrder.Kind.REPAIR,
        category=category["公共设施"],
        description="3幢2单元五楼楼道灯不亮。",
        location="3幢2单元 5楼楼道",
    )
    services.work_order_assign(work_order=order, actor=handler, assignee=handler)
    services.work_order_start(work_order=order, actor=handler)
    services.work_order_resolve(work_order=order, actor=handler, note="已更换感应灯。")
    _shift_history(order, [0, 1, 6, 8], started=timedelta(days=2))

    # In progress: parking, this morning.
    order = services.work_order_submit(
        reporter=user,
        kind=WorkOrder.Kind.COMPLAINT,
        category=category["停车管理"],
        description="消防通道经常有车辆占用，老人出行不便。",
        location="3幢北侧消防通道",
    )
    services.work_order_assign(work_order=order, actor=handler, assignee=handler)
    services.work_order_start(work_order=order, actor=handler, note="已联系车主挪车，加装提示牌")
    _shift_history(order, [0, 0.5, 1], started=timedelta(hours=3))

    # Just submitted: a suggestion.
    services.work_order_submit(
        reporter=user,
        kind=WorkOrder.Kind.SUGGESTION,
        category=category["绿化养护"],
        description="建议在小区花园增加几张休息长椅。",
        location="小区中心花园",
    )


def seed(log):
    for order, (name, response, resolution) in enumerate(CATEGORIES):
        WorkOrderCategory.objects.get_or_create(
            name=name, defaults={"response_hours": response, "resolution_hours": resolution, "sort_order": order}
        )
    _places(log)

    demo = User.objects.get(wechat_openid="dev-demo")
    staff = User.objects.get(username="staff_baiyun")
    handler = User.objects.get(username="property_baiyun")
    room = _demo_room()
    _verify(demo, room, staff)
    _work_orders(demo, room, handler)

    for key, amount, reason in [
        ("demo:dev-demo:welcome", 100, "新用户注册奖励"),
        ("demo:dev-demo:volunteer-2026-10", 50, "志愿服务：社区垃圾分类宣传"),
        ("demo:dev-demo:class-2026-11", 20, "参加幸福学堂课程"),
    ]:
        award(user=demo, amount=amount, reason=reason, idempotency_key=key)

    now = timezone.now()
    for code, title, body, pinned in ANNOUNCEMENTS:
        community = Community.objects.get(code=code)
        author = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).first()
        Announcement.objects.get_or_create(
            community=community,
            title=title,
            defaults={
                "body": body,
                "pinned": pinned,
                "publish_at": now - timedelta(days=1),
                "created_by": author.user if author else None,
            },
        )
    log(
        f"residents: {Estate.objects.count()} estates, {Room.objects.count()} rooms, "
        f"{WorkOrder.objects.count()} work orders, {Announcement.objects.count()} announcements"
    )
