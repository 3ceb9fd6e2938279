"""Demo venues and events: 斗潭's 邻礼中心, 幸福学堂 and 居家养老服务中心, 白云's 博爱幸福驿站.

Dates are relative to the day of seeding, so a fresh database always shows upcoming events. Running
the seed again changes nothing while the demo events are still upcoming or running; once one has
ended, the next seed adds a new one like it.

For the staff console, each community also gets a month of past activities its neighbours
(residents/demo.py) joined and checked in to, and a few registrations made today.
"""

from contextlib import suppress
from datetime import datetime, time, timedelta

from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import DomainError
from linli.regions.models import Community

from . import cache as event_cache
from . import services
from .models import (
    Event,
    EventHistory,
    EventSession,
    Registration,
    RegistrationHistory,
    SessionAttendance,
    Venue,
    VenueOpeningHours,
)

EVERY_DAY, WEEKDAYS = range(7), range(5)

VENUES = [
    # community, name, location, capacity, residents may book, [(weekdays, opens, closes)], description
    (
        "doutan",
        "邻礼中心多功能厅",
        "邻礼中心 1楼",
        60,
        True,
        [(EVERY_DAY, time(8, 30), time(21, 0))],
        "可用于居民议事、文艺排练、小型聚会。",
    ),
    (
        "doutan",
        "邻礼中心阅览室",
        "邻礼中心 1楼东侧",
        20,
        True,
        [(EVERY_DAY, time(9, 0), time(20, 0))],
        "绘本与老年读物，周末有亲子阅读活动。",
    ),
    (
        "doutan",
        "幸福学堂",
        "邻礼中心 2楼",
        30,
        True,
        [(EVERY_DAY, time(8, 30), time(11, 30)), (EVERY_DAY, time(14, 0), time(17, 30))],
        "一老一小课堂：智能手机、书法、插花、少儿托管。",
    ),
    (
        "doutan",
        "居家养老服务中心活动室",
        "居家养老服务中心 1楼",
        25,
        True,
        [(WEEKDAYS, time(8, 0), time(17, 0))],
        "老年人健康讲座、棋牌与助餐后的休闲活动。",
    ),
    (
        "doutan",
        "居家养老服务中心康复训练室",
        "居家养老服务中心 2楼",
        8,
        False,
        [(WEEKDAYS, time(8, 30), time(11, 30)), (WEEKDAYS, time(14, 0), time(17, 0))],
        "康复器械训练，由工作人员统一安排。",
    ),
    (
        "baiyun",
        "博爱幸福驿站",
        "春江月小区 3幢架空层",
        30,
        True,
        [(EVERY_DAY, time(8, 30), time(17, 30))],
        "医保到家服务点，兼作居民活动场所。",
    ),
]

EVENTS = [
    # community, staff username, venue name, days from today, start, end, fields
    (
        "doutan",
        "staff_doutan",
        "幸福学堂",
        3,
        time(14, 30),
        time(16, 0),
        {
            "title": "幸福学堂·插花活动：秋日花篮",
            "description": "花艺老师带大家用当季鲜花扎一只花篮，材料由邻礼中心提供，可带一位家人同来。",
            "category": Event.Category.CULTURE,
            "capacity": 20,
            "max_attendees_per_registration": 2,
            "residents_only": True,
            "points_reward": 10,
        },
    ),
    (
        "doutan",
        "staff_doutan",
        "幸福学堂",
        5,
        time(9, 0),
        time(10, 30),
        {
            "title": "幸福学堂·老年人智能手机课",
            "description": "每周一次，共 6 次：微信视频、扫码付款、网上挂号、防范电信诈骗。报名一次即参加整期课程。",
            "category": Event.Category.CLASS,
            "sessions_count": 6,
            "capacity": 15,
            "age_min": 60,
            "points_reward": 20,
        },
    ),
    (
        "doutan",
        "staff_doutan",
        "邻礼中心阅览室",
        2,
        time(10, 0),
        time(11, 0),
        {
            "title": "少儿阅读时光：绘本共读",
            "description": "志愿者姐姐带小朋友读绘本、做手工，面向 12 岁及以下的孩子。",
            "category": Event.Category.CULTURE,
            "capacity": 12,
            "age_max": 12,
            "points_reward": 5,
        },
    ),
    (
        "doutan",
        "staff_doutan",
        "居家养老服务中心活动室",
        4,
        time(9, 30),
        time(10, 30),
        {
            "title": "健康讲座：老年人慢病管理与合理用药",
            "description": "社区卫生服务中心医生主讲，现场免费测血压、血糖。",
            "category": Event.Category.HEALTH_TALK,
            "capacity": 25,
            "waitlist_enabled": True,
            "points_reward": 5,
        },
    ),
    (
        "baiyun",
        "staff_baiyun",
        "博爱幸福驿站",
        6,
        time(14, 0),
        time(15, 0),
        {
            "title": "医保到家政策宣讲",
            "description": "讲解医保个账家庭共济、门诊慢特病待遇和线上办理流程。",
            "category": Event.Category.HEALTH_TALK,
            "capacity": 30,
            "points_reward": 5,
        },
    ),
]


def _seed_venues() -> dict[str, Venue]:
    venues = {}
    for code, name, location, capacity, residents_may_book, hours, description in VENUES:
        venue, created = Venue.objects.get_or_create(
            community=Community.objects.get(code=code),
            name=name,
            defaults={
                "location": location,
                "capacity": capacity,
                "residents_may_book": residents_may_book,
                "description": description,
            },
        )
        if created:
            VenueOpeningHours.objects.bulk_create(
                VenueOpeningHours(venue=venue, weekday=day, opens_at=opens, closes_at=closes)
                for days, opens, closes in hours
                for day in days
            )
        venues[name] = venue
    return venues


def _seed_events(venues: dict[str, Venue]) -> list[Event]:
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    events = []
    for code, staff_username, venue_name, days, starts, ends, fields in EVENTS:
        community = Community.objects.get(code=code)
        current = Event.objects.filter(
            community=community, title=fields["title"], final_ends_at__gt=timezone.now()
        ).first()
        if current is None:
            day = today + timedelta(days=days)
            current = services.event_create(
                community=community,
                created_by=User.objects.get(username=staff_username),
                venue=venues[venue_name],
                starts_at=datetime.combine(day, starts, tz),
                ends_at=datetime.combine(day, ends, tz),
                **fields,
            )
            services.event_publish(event=current, actor=current.created_by)
        events.append(current)
    return events


def _seed_registrations(events: list[Event]) -> None:
    """张大爷 (dev-demo, born 1952) has joined the smartphone class and the 医保 talk."""
    demo = User.objects.filter(wechat_openid="dev-demo").first()
    if demo is None:
        return
    for event in events:
        if event.title not in ("幸福学堂·老年人智能手机课", "医保到家政策宣讲"):
            continue
        if Registration.objects.filter(event=event, user=demo).exists():
            continue
        with suppress(DomainError):  # e.g. registration has closed: the demo simply has no seat there
            services.registration_create(event=event, user=demo)


# A month of past activities: (communities, days ago, title, category, of the neighbours: came, absent).
# 斗潭 (幸福学堂, 邻礼中心) is the busiest; 回龙 the quietest, so 参与度 differs between them.
PAST_EVENTS = [
    ({"doutan", "baiyun"}, 24, "重阳节包饺子", Event.Category.CULTURE, 4, 1),
    ({"doutan"}, 17, "垃圾分类志愿宣传", Event.Category.VOLUNTEER, 3, 0),
    ({"doutan", "huilong"}, 10, "健康讲座：秋冬季防跌倒", Event.Category.HEALTH_TALK, 2, 1),
    ({"doutan"}, 4, "幸福学堂·书法体验课", Event.Category.CLASS, 3, 1),
]


def _neighbours(community) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=Role.RESIDENT,
            memberships__community=community,
            wechat_openid__startswith=f"demo-{community.code}-",
        ).order_by("wechat_openid")
    )


def _shift(event: Event, by: timedelta) -> None:
    """Move a just-run event and everything that happened in it `by` into the past."""
    for model, fields, lookup in [
        (Event, ["starts_at", "ends_at", "final_ends_at", "published_at", "created_at"], {"pk": event.pk}),
        (EventSession, ["starts_at", "ends_at"], {"event": event}),
        (Registration, ["created_at", "confirmed_at", "checked_in_at"], {"event": event}),
        (EventHistory, ["created_at"], {"event": event}),
        (RegistrationHistory, ["created_at"], {"registration__event": event}),
        (SessionAttendance, ["checked_in_at", "checked_out_at", "created_at"], {"event": event}),
    ]:
        for row in model.objects.filter(**lookup):
            changes = {f: getattr(row, f) - by for f in fields if getattr(row, f) is not None}
            model.objects.filter(pk=row.pk).update(**changes)
    event_cache.bump_cards()  # update() sends no post_save


def _past_events() -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    for community in Community.objects.filter(code__in=["doutan", "baiyun", "huilong"]):
        people = _neighbours(community)
        staff = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).first()
        for codes, days_ago, title, category, came, absent in PAST_EVENTS:
            if (
                community.code not in codes
                or not people
                or Event.objects.filter(community=community, title=title).exists()
            ):
                continue
            starts = now + timedelta(minutes=5)
            event = services.event_create(
                community=community,
                created_by=staff.user if staff else None,
                title=title,
                category=category,
                location="社区广场",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=30,
            )
            event = services.event_publish(event=event, actor=event.created_by)
            joined = [services.registration_create(event=event, user=u) for u in people[: came + absent]]
            for registration in joined[:came]:
                services.registration_check_in(event=event, ticket=registration.ticket, staff=event.created_by)
            volunteering = category == Event.Category.VOLUNTEER
            _shift(event, timedelta(days=_in_this_year(days_ago) if volunteering else days_ago, hours=3))
            _close_volunteer_sessions(event)
            services.event_finish(event_id=event.pk)


def _in_this_year(days_ago: int) -> int:
    """`days_ago`, or fewer so that the day falls in this year: the console's 志愿服务时长 counts this
    month's and this year's hours, and a demo seeded in early January would otherwise show none."""
    today = timezone.localdate()
    return min(days_ago, (today - today.replace(month=1, day=1)).days)


def _close_volunteer_sessions(event: Event) -> None:
    """Staff close the sessions of a past volunteer activity nobody checked out of (hours credited up to its end)."""
    for attendance in SessionAttendance.objects.filter(event=event, status=SessionAttendance.Status.CHECKED_IN):
        services.attendance_close(attendance=attendance, actor=event.created_by)


# 白云's volunteer activity (2 h planned per session), three weeks ago (early in January: on the 1st): who came,
# among the neighbours and 张大爷 (dev-demo); one left early, and staff adjusted his hours with a reason.
VOLUNTEER_ACTIVITY = "春江月小区环境清洁志愿服务"
# 幸福学堂 courses (6 weekly sessions), with who came to each session held so far (indexes of the first three
# neighbours, then 王阿姨 dev-wang):
# one finished 10 days ago (completions decided at its end, threshold 80 %), one running (its 4th session
# starts a few minutes after seeding: staff can scan tickets for it).
COURSES = [
    ("doutan", "幸福学堂·太极拳入门", 6, [[0, 1, 2], [0, 1, 2], [0, 1], [0, 1, 2], [0, 2], [0, 1]], 10),
    ("doutan", "幸福学堂·老年人防诈骗课", 6, [[0, 1, 2, 3], [0, 2, 3], [0, 1, 2]], None),
]


def _volunteer_activity() -> None:
    community = Community.objects.filter(code="baiyun").first()
    if community is None or Event.objects.filter(community=community, title=VOLUNTEER_ACTIVITY).exists():
        return
    staff = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).first()
    volunteers = [*User.objects.filter(wechat_openid="dev-demo"), *_neighbours(community)[:3]]
    if not volunteers:
        return
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=5)
    event = services.event_create(
        community=community,
        created_by=staff.user if staff else None,
        title=VOLUNTEER_ACTIVITY,
        description="清理春江月小区公共区域的杂物和落叶，每次服务计 2 小时志愿时长。",
        category=Event.Category.VOLUNTEER,
        location="春江月小区 中心花园",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=30),
        planned_hours=2,
        capacity=20,
    )
    event = services.event_publish(event=event, actor=event.created_by)
    for user in volunteers:
        registration = services.registration_create(event=event, user=user)
        services.registration_check_in(event=event, ticket=registration.ticket, staff=event.created_by)
    _shift(event, timedelta(days=_in_this_year(21), hours=3))
    _close_volunteer_sessions(event)
    early = SessionAttendance.objects.filter(event=event).order_by("-id").first()
    services.attendance_adjust_hours(
        attendance=early, actor=event.created_by, hours=1, reason="家中有事提前离开，按实际服务 1 小时计"
    )
    services.event_finish(event_id=event.pk)


def _courses() -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    for code, title, sessions, came, days_ago in COURSES:
        community = Community.objects.filter(code=code).first()
        if community is None or Event.objects.filter(community=community, title=title).exists():
            continue
        people = _neighbours(community)
        if not people:
            continue
        staff = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).first()
        starts = now + timedelta(minutes=5)
        event = services.event_create(
            community=community,
            created_by=staff.user if staff else None,
            title=title,
            description=f"每周一次，共 {sessions} 次课；出勤率达到 80% 即可结业。",
            category=Event.Category.CLASS,
            location="邻礼中心 2楼",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            sessions_count=sessions,
            capacity=20,
        )
        event = services.event_publish(event=event, actor=event.created_by)
        wang = list(User.objects.filter(wechat_openid="dev-wang"))
        students = [services.registration_create(event=event, user=u) for u in [*people[:3], *wang]]
        # Run the sessions held so far one week at a time: each one's check-in window is open "now".
        for who in came:
            for index in who:
                if index < len(students):
                    services.registration_check_in(event=event, ticket=students[index].ticket, staff=event.created_by)
            _shift(event, timedelta(days=7))
        if days_ago is not None:  # a finished course: its last session ended `days_ago` days ago (completions)
            event.refresh_from_db()
            _shift(event, event.final_ends_at - (now - timedelta(days=days_ago)))
            services.event_finish(event_id=event.pk)


def _registrations_today(events: list[Event]) -> None:
    """A couple of neighbours signed up today for what is coming up in their community."""
    for event in events:
        for user in _neighbours(event.community)[:2]:
            if Registration.objects.filter(event=event, user=user).exists():
                continue
            with suppress(DomainError):
                services.registration_create(event=event, user=user)


def seed(log):
    venues = _seed_venues()
    events = _seed_events(venues)
    _seed_registrations(events)
    _past_events()
    _volunteer_activity()
    _courses()
    _registrations_today(events)
    counts = (Venue.objects.count(), Event.objects.count(), Registration.objects.count())
    log("events: {} venues, {} events, {} registrations".format(*counts))
