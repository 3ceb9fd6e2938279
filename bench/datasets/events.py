"""200 published events over the next 60 days, with sessions, history and some registrations.

* Organised by the three communities in turn; a third are open to all three, the rest to their own
  community only; every fifth is residents-only, every seventh age-limited (60+), every sixth a
  weekly course of 4 sessions. No venue (an outdoor `location`), so no venue bookings are needed.
* Up to 15 confirmed registrations each (residents of the event's audience), as if some of the
  crowd had already signed up: the list's seat counts then sum real rows.
* `ctx.burst["events"]` of them are the registration burst's targets (`ids.burst_event_id`, one per
  load-generator thread): open to all three communities, `ctx.burst["seats"]` seats each, half with
  a waitlist and half without (there a full event answers 409 `event_full`), no registration yet.
"""

import random
from datetime import timedelta

from django.utils import timezone

from events.models import Event, EventHistory, EventSession, Registration, RegistrationHistory

NAME = "events"
ORDER = 20
PRE_REGISTERED = 15

TITLES = [
    ("culture", "社区合唱团排练"),
    ("group", "邻里百家宴"),
    ("class", "幸福学堂·智能手机课"),
    ("volunteer", "垃圾分类志愿宣传"),
    ("health_talk", "老年人慢病管理讲座"),
    ("party_building", "主题党日活动"),
    ("culture", "书法兴趣班展示"),
    ("other", "亲子绘本阅读会"),
]


def generate(ctx) -> dict:
    rng = random.Random(20)
    communities, residents = ctx.shared["communities"], ctx.shared["residents"]
    now = timezone.now().replace(second=0, microsecond=0)
    count = ctx.targets["events"]
    bursts, seats = ctx.burst["events"], ctx.burst["seats"]
    events, audiences = [], []
    for k in range(count):
        burst = k < bursts
        community = communities[k % len(communities)]
        category, title = TITLES[k % len(TITLES)]
        course = not burst and k % 6 == 0
        starts = now + timedelta(days=1 + (k * 60) // count, hours=rng.randrange(8, 18) - now.hour)
        starts = max(starts, now + timedelta(hours=12))
        ends = starts + timedelta(hours=2)
        sessions = 4 if course else 1
        events.append(
            Event(
                community=community,
                title=f"{title}（第 {k + 1} 期）" if not burst else f"{title}（报名高峰 {k + 1}）",
                description=f"{community.name}组织的{title}，欢迎居民参加。",
                category="class" if course else category,
                location=f"{community.name}文化广场",
                starts_at=starts,
                ends_at=ends,
                sessions_count=sessions,
                final_ends_at=ends + timedelta(weeks=sessions - 1),
                capacity=seats if burst else rng.choice((20, 30, 50, 100, 200)),
                waitlist_enabled=k % 2 == 0 if burst else True,
                max_attendees_per_registration=1 if burst else 3,
                residents_only=not burst and k % 5 == 0,
                age_min=60 if not burst and k % 7 == 0 else None,
                points_reward=10,
                status=Event.Status.PUBLISHED,
                published_at=now,
            )
        )
        audiences.append(communities if burst or k % 3 == 0 else [community])
    Event.objects.bulk_create(events)
    Through = Event.communities.through
    Through.objects.bulk_create(
        [Through(event_id=e.pk, community_id=c.pk) for e, cs in zip(events, audiences, strict=True) for c in cs]
    )
    EventSession.objects.bulk_create(
        [
            EventSession(
                event=e, index=i + 1, starts_at=e.starts_at + timedelta(weeks=i), ends_at=e.ends_at + timedelta(weeks=i)
            )
            for e in events
            for i in range(e.sessions_count)
        ]
    )
    EventHistory.objects.bulk_create(
        [
            EventHistory(event=e, action=Event.Action.CREATE, from_status="", to_status=Event.Status.DRAFT, note="创建")
            for e in events
        ]
        + [
            EventHistory(
                event=e,
                action=Event.Action.PUBLISH,
                from_status=Event.Status.DRAFT,
                to_status=Event.Status.PUBLISHED,
                note="发布",
            )
            for e in events
        ]
    )

    # Residents of community index j are residents[j::3].
    by_community = {c.pk: residents[j :: len(communities)] for j, c in enumerate(communities)}
    registrations = []
    for e, cs in zip(events[bursts:], audiences[bursts:], strict=True):
        pool = [u for c in cs for u in by_community[c.pk]]
        for user in rng.sample(pool, min(PRE_REGISTERED, e.capacity // 2)):
            if e.age_min and user.age_on(e.starts_at.date()) < e.age_min:
                continue
            registrations.append(
                Registration(event=e, user=user, attendees=1, status=Registration.Status.CONFIRMED, confirmed_at=now)
            )
    Registration.objects.bulk_create(registrations, batch_size=2_000)
    RegistrationHistory.objects.bulk_create(
        [
            RegistrationHistory(
                registration=r,
                action=Registration.Action.REGISTER,
                from_status="",
                to_status=r.status,
                actor=r.user,
                note="报名",
            )
            for r in registrations
        ],
        batch_size=2_000,
    )
    ctx.fixtures["ids"]["burst_event_id"] = [e.pk for e in events[:bursts]]
    ctx.fixtures["ids"]["event_id"] = events[bursts].pk
    return {"events": len(events), "registrations": len(registrations)}
