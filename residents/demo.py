"""Demo data: estates, buildings and rooms of the three communities, the SLA categories, 张大爷
(dev-demo) verified in 白云 春江月小区 with points and a history of work orders, one verified resident
who can log in in each other community (王秀英 dev-wang in 斗潭, 李建华 dev-li in 回龙; 王桂兰 dev-elder
in 斗潭 too, the elder of the 亲情账号 demo), and announcements.
For the staff console, each community also gets a few neighbours (households) with a month of work
orders and points, so its dashboard and 服务力指数 have something to show.
Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role, User
from linli.points.models import PointsEntry
from linli.points.services import award, spend
from linli.regions.models import Building, Community, Estate, Room
from residents import services
from residents.models import Announcement, Relation, WorkOrder, WorkOrderCategory, WorkOrderHistory

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


def _room(estate: str, building: str, unit: str, number: str) -> Room:
    return Room.objects.get(building__estate__name=estate, building__name=building, building__unit=unit, number=number)


def _demo_room() -> Room:
    return _room("春江月小区", "3幢", "2单元", "502")


def _verify(user: User, room: Room, staff: User, real_name: str = "张建国", phone: str = "13905700001") -> None:
    scope = {"scope_type": ContentType.objects.get_for_model(Room), "scope_id": room.pk}
    if Membership.objects.filter(user=user, role=Role.RESIDENT, **scope).exists():
        return
    verification = services.verification_submit(
        user=user, room=room, relation=Relation.OWNER, real_name=real_name, phone=phone
    )
    services.verification_approve(verification=verification, reviewer=staff)


# One verified resident who can log in (sandbox code dev-<name>) in each community besides 张大爷's 白云:
# openid, display name, real name, phone, (estate, building, unit, room), reviewing staff,
# and one work order of theirs (category, kind, description, location).
RESIDENTS = [
    (
        "dev-wang",
        "王阿姨",
        "王秀英",
        "13905700002",
        ("斗潭小区", "1幢", "2单元", "301"),
        "staff_doutan",
        ("公共设施", WorkOrder.Kind.REPAIR, "单元门口台阶松动，老人进出容易绊倒。", "1幢2单元门口"),
    ),
    (
        # Her son 王建军 (dev-family) acts for her through 亲情账号 (linli/family's demo).
        "dev-elder",
        "王奶奶",
        "王桂兰",
        "13905700004",
        ("斗潭小区", "2幢", "1单元", "102"),
        "staff_doutan",
        ("门窗维修", WorkOrder.Kind.REPAIR, "卧室窗户关不严，冬天漏风。", "2幢1单元102室"),
    ),
    (
        "dev-li",
        "李师傅",
        "李建华",
        "13905700003",
        ("回龙小区", "1幢", "1单元", "402"),
        "staff_huilong",
        ("绿化养护", WorkOrder.Kind.SUGGESTION, "建议在一米菜园旁加装一个浇水龙头。", "一米菜园"),
    ),
]


def _residents() -> None:
    category = {c.name: c for c in WorkOrderCategory.objects.all()}
    for openid, display_name, real_name, phone, where, staff, (name, kind, description, location) in RESIDENTS:
        user, _ = User.objects.get_or_create(
            wechat_openid=openid, defaults={"username": f"wx_{openid}", "display_name": display_name}
        )
        _verify(user, _room(*where), User.objects.get(username=staff), real_name=real_name, phone=phone)
        award(user=user, amount=100, reason="新用户注册奖励", idempotency_key=f"demo:{openid}:welcome")
        if not WorkOrder.objects.filter(reporter=user).exists():
            services.work_order_submit(
                reporter=user, kind=kind, category=category[name], description=description, location=location
            )


def _shift_history(order: WorkOrder, offsets_hours: list[float], started: timedelta) -> None:
    """Spread the order's timeline over the past: step i happens offsets_hours[i] after filing."""
    base = timezone.now() - started
    events = list(order.history.order_by("created_at", "id"))
    previous = base
    for event, hours in zip(events, offsets_hours, strict=True):
        at = base + timedelta(hours=hours)
        WorkOrderHistory.objects.filter(pk=event.pk).update(
            created_at=at, duration_seconds=int((at - previous).total_seconds())
        )
        previous = at
    times = {e.action: base + timedelta(hours=h) for e, h in zip(events, offsets_hours, strict=True)}
    category = order.category
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=base,
        response_due_at=base + category.response_time,
        resolution_due_at=base + category.resolution_time,
        responded_at=times.get(WorkOrderHistory.Action.ASSIGN),
        resolved_at=times.get(WorkOrderHistory.Action.RESOLVE),
        closed_at=times.get(WorkOrderHistory.Action.CONFIRM),
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


# The neighbours each community's console shows (wechat openid demo-<code>-<n>).
NEIGHBOURS = {
    "doutan": ["王阿婆", "陈大伯", "刘阿姨", "赵师傅", "孙奶奶", "周老师"],
    "baiyun": ["吴阿姨", "郑大爷", "钱师傅", "冯奶奶", "何老师"],
    "huilong": ["徐大伯", "朱阿姨", "马师傅", "胡奶奶"],
}
# A month of orders: (days ago, category, description, how far it got, hours to each step, rating).
# Steps are submit, assign, start, resolve, confirm; a resolve later than the category's
# resolution time is late, which the response index counts.
HISTORY = [
    (27, "水电维修", "卫生间下水慢，疑似堵塞。", "closed", [0, 0.5, 2, 6, 30], 5),
    (22, "公共设施", "单元门门禁刷卡没反应。", "closed", [0, 1, 4, 20, 40], 4),
    (18, "环境卫生", "楼道堆放杂物，影响通行。", "closed", [0, 2, 6, 30, 50], 3),
    (12, "门窗维修", "阳台窗户关不严，漏风。", "closed", [0, 1, 3, 24, 48], 5),
    (8, "噪音投诉", "夜间广场舞音响声音过大。", "closed", [0, 0.5, 1, 4, 20], 4),
    (5, "电梯故障", "电梯运行时有异响。", "resolved", [0, 0.5, 1, 5], None),
    (3, "绿化养护", "楼下树枝太长挡住窗户。", "in_progress", [0, 4, 8], None),
    (1, "停车管理", "有车辆长期占用消防通道。", "assigned", [0, 1], None),
    (0, "其他", "建议在健身区增加遮阳棚。", "submitted", [0], None),
]
STEPS = ["submitted", "assigned", "in_progress", "resolved", "closed"]
POINTS_MONTH = [(25, 30, "志愿服务：楼道清扫"), (15, 20, "参加社区活动"), (4, -15, "市集积分抵扣")]
# How quickly each community's property service works (× the hours above), and how residents rate it.
PACE = {"doutan": (1.0, 0), "baiyun": (0.7, 0), "huilong": (1.6, -1)}
PROPERTY_MANAGERS = {"doutan": "property_doutan", "baiyun": "property_baiyun", "huilong": "property_huilong"}


def _neighbours(code: str) -> list[tuple[User, Room]]:
    community = Community.objects.get(code=code)
    rooms = list(Room.objects.filter(building__estate__community=community).order_by("building_id", "number"))
    room_type = ContentType.objects.get_for_model(Room)
    out = []
    for n, name in enumerate(NEIGHBOURS[code], start=1):
        room = rooms[(n * 5) % len(rooms)]
        user, _ = User.objects.get_or_create(
            wechat_openid=f"demo-{code}-{n}", defaults={"username": f"wx_demo-{code}-{n}", "display_name": name}
        )
        Membership.objects.get_or_create(
            user=user,
            role=Role.RESIDENT,
            scope_type=room_type,
            scope_id=room.pk,
            defaults={"community": community, "position": Relation.OWNER},
        )
        out.append((user, room))
    return out


def _handler(code: str) -> User:
    community = Community.objects.get(code=code)
    username = PROPERTY_MANAGERS[code]
    user = ensure_staff_user(username, f"{community.name}物业", is_staff=True)
    Membership.objects.get_or_create(user=user, role=Role.PROPERTY_MANAGER, community=community)
    return user


def _month_of_work_orders(code: str, households: list[tuple[User, Room]], handler: User) -> int:
    """A month of finished and open orders for the console's charts, created in bulk: past orders
    need their rows and timelines, not the notifications the services would send today."""
    if WorkOrder.objects.filter(reporter__wechat_openid__startswith=f"demo-{code}-").exists():
        return 0
    community = Community.objects.get(code=code)
    category = {c.name: c for c in WorkOrderCategory.objects.all()}
    pace, rating_shift = PACE[code]
    now = timezone.now()
    orders, timelines = [], []
    for i, (days_ago, name, description, upto, hours, rating) in enumerate(HISTORY):
        user, room = households[i % len(households)]
        base = now - timedelta(days=days_ago, hours=2)
        steps = STEPS[: STEPS.index(upto) + 1]  # one timeline offset in `hours` per step
        at = dict(zip(steps, (base + timedelta(hours=h * pace) for h in hours), strict=True))
        orders.append(
            WorkOrder(
                community=community,
                reporter=user,
                room=room,
                kind=WorkOrder.Kind.REPAIR,
                category=category[name],
                description=description,
                status=upto,
                assignee=handler if "assigned" in at else None,
                response_due_at=base + category[name].response_time,
                resolution_due_at=base + category[name].resolution_time,
                responded_at=at.get("assigned"),
                resolved_at=at.get("resolved"),
                closed_at=at.get("closed"),
                resolution_note="已处理完毕。" if "resolved" in at else "",
                rating=max(1, rating + rating_shift) if "closed" in at else None,
            )
        )
        timelines.append((user, at))
    WorkOrder.objects.bulk_create(orders)
    for order, (_user, at) in zip(orders, timelines, strict=True):
        order.created_at = at["submitted"]  # auto_now_add stamped "now" on insert
    WorkOrder.objects.bulk_update(orders, ["created_at"])
    WorkOrderHistory.objects.bulk_create(
        step
        for order, (user, at) in zip(orders, timelines, strict=True)
        for step in _timeline(order, user, handler, at)
    )
    return len(orders)


# (action, status it came from, who acts: the resident or the handler, note) per step of STEPS.
_TIMELINE = {
    "submitted": (WorkOrder.Action.SUBMIT, "", "resident", ""),
    "assigned": (WorkOrder.Action.ASSIGN, "submitted", "handler", ""),
    "in_progress": (WorkOrder.Action.START, "assigned", "handler", ""),
    "resolved": (WorkOrder.Action.RESOLVE, "in_progress", "handler", "已处理完毕。"),
    "closed": (WorkOrder.Action.CONFIRM, "resolved", "resident", ""),
}


def _timeline(order: WorkOrder, resident: User, handler: User, at: dict) -> list[WorkOrderHistory]:
    """The history rows the services would have written, at the times the demo gives them."""
    rows, previous = [], None
    for status, when in at.items():
        action, from_status, who, note = _TIMELINE[status]
        rows.append(
            WorkOrderHistory(
                work_order=order,
                action=action,
                from_status=from_status,
                to_status=status,
                actor=resident if who == "resident" else handler,
                note=note,
                created_at=when,
                duration_seconds=int((when - (previous or when)).total_seconds()),
            )
        )
        previous = when
    return rows


def _month_of_points(code: str, households: list[tuple[User, Room]]) -> None:
    """Points earned in volunteering and spent at the market, spread over the month."""
    now = timezone.now()
    for n, (user, _room) in enumerate(households, start=1):
        for days_ago, amount, reason in POINTS_MONTH:
            key = f"demo:{code}:{n}:{days_ago}"
            if PointsEntry.objects.filter(idempotency_key=key).exists():
                continue
            move = award if amount > 0 else spend
            entry = move(user=user, amount=abs(amount), reason=reason, idempotency_key=key)
            PointsEntry.objects.filter(pk=entry.pk).update(created_at=now - timedelta(days=days_ago - n % 3))


def _console_history() -> int:
    made = 0
    for code in NEIGHBOURS:
        households = _neighbours(code)
        made += _month_of_work_orders(code, households, _handler(code))
        _month_of_points(code, households)
    return made


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
    _residents()

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
    _console_history()
    log(
        f"residents: {Estate.objects.count()} estates, {Room.objects.count()} rooms, "
        f"{WorkOrder.objects.count()} work orders, {Announcement.objects.count()} announcements"
    )
