"""Community announcements, the residents' read marks, and every resident's notification inbox.

* `ANNOUNCEMENTS_PER_COMMUNITY` announcements per community over the last 120 days (every tenth
  pinned, a few already expired), filed by the community's staff; each resident has read about
  half of the newest 30 of their community's.
* `NOTIFICATIONS_PER_RESIDENT` notifications per resident over the last 60 days (work orders,
  events, announcements, the market), two in three read: more than a page of the inbox.
"""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.notifications.models import Notification
from residents.models import Announcement, AnnouncementRead

NAME = "announcements"
ORDER = 40
BATCH = 5_000
ANNOUNCEMENTS_PER_COMMUNITY = 60
NOTIFICATIONS_PER_RESIDENT = 25

ANNOUNCEMENTS = [
    ("停水通知", "因管网检修，{day}上午 9:00–12:00 小区停水，请提前储水。"),
    ("电梯维保公告", "{day}对 1–5 幢电梯进行年度维保，届时电梯暂停使用 2 小时。"),
    ("垃圾分类宣传周", "本周开展垃圾分类宣传，请各位居民按时定点投放。"),
    ("消防安全提示", "冬季用电高峰，请勿在楼道内给电动车充电。"),
    ("社区文艺汇演报名", "社区文艺汇演开始报名，欢迎有才艺的居民踊跃参加。"),
    ("疫苗接种安排", "社区卫生服务站{day}为 60 岁以上老人接种流感疫苗。"),
]

NOTIFICATIONS = [
    ("work_order.assigned", "工单已派单", "您提交的报修已派给物业维修人员处理。", "/pages/work-orders/detail"),
    ("work_order.resolved", "工单已处理", "您提交的报修已处理完成，请评价。", "/pages/work-orders/detail"),
    ("event.reminder", "活动提醒", "您报名的活动明天开始，请准时参加。", "/pages/events/detail"),
    ("announcement.published", "社区新公告", "社区发布了新公告，请查看。", "/pages/announcements/detail"),
    ("market.order_ready", "订单待取货", "您的订单已备货完成，请到店自提。", "/pages/market/order"),
    ("points.awarded", "积分到账", "参加社区活动获得 10 邻礼积分。", "/pages/points/index"),
]


def _announcements(ctx, communities, residents, rng) -> tuple[int, int]:
    now = timezone.now()
    staff = {m.community_id: m.user_id for m in Membership.objects.filter(role=Role.COMMUNITY_STAFF)}
    per = max(1, ctx.targets["announcements"] // len(communities))
    rows = []
    for community in communities:
        for k in range(per):
            title, body = ANNOUNCEMENTS[k % len(ANNOUNCEMENTS)]
            publish_at = now - timedelta(days=120 * k / per, hours=rng.randrange(1, 8))
            expired = k % 13 == 12
            rows.append(
                Announcement(
                    community=community,
                    title=f"{title}（{community.name}）",
                    body=body.format(day=f"{1 + k % 28} 日") * 3,
                    pinned=k % 10 == 0,
                    publish_at=publish_at,
                    expires_at=publish_at + timedelta(days=7) if expired else None,
                    created_by_id=staff.get(community.pk),
                )
            )
    Announcement.objects.bulk_create(rows, batch_size=BATCH)
    # Each resident has read about half of their community's newest 30 (INSERT … SELECT, as below).
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {AnnouncementRead._meta.db_table} (announcement_id, user_id, read_at)
            SELECT a.id, m.user_id, now()
            FROM {Membership._meta.db_table} m
            CROSS JOIN LATERAL (
                SELECT id FROM {Announcement._meta.db_table} WHERE community_id = m.community_id
                ORDER BY publish_at DESC LIMIT 30
            ) a
            WHERE m.role = %s AND m.user_id = ANY(%s) AND (a.id * 31 + m.user_id) %% 2 = 0
            """,
            [Role.RESIDENT, [u.pk for u in residents]],
        )
        reads = cursor.rowcount
    return len(rows), reads


def _notifications(residents) -> int:
    """INSERT … SELECT in the database: a hundred thousand rows in seconds, not a minute of bulk_create.
    Row k of a resident: NOTIFICATIONS[(id + k) % 6], created k × 2.4 days + id % 600 min ago
    (k = 0 newest), two in three read."""
    table = Notification._meta.db_table
    kinds = " ".join(f"WHEN {n} THEN ARRAY[%s, %s, %s, %s]" for n in range(len(NOTIFICATIONS)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (recipient_id, kind, title, body, link, data, dedupe_key, read_at,
                                 created_at, dispatch_pending, push_channels)
            SELECT u.id, t.v[1], t.v[2], t.v[3], t.v[4] || '?id=' || ((u.id * 31 + k * 7) %% 20000 + 1),
                   jsonb_build_object('id', k), '', CASE WHEN k %% 3 = 0 THEN NULL ELSE now() END,
                   now() - make_interval(mins => (k * 3456 + u.id %% 600)::int), false, '[]'::jsonb
            FROM unnest(%s::bigint[]) AS u(id)
            CROSS JOIN generate_series(0, %s) AS k
            CROSS JOIN LATERAL (SELECT CASE ((u.id + k) %% {len(NOTIFICATIONS)}) {kinds} END AS v) AS t
            """,
            [[u.pk for u in residents], NOTIFICATIONS_PER_RESIDENT - 1, *(f for row in NOTIFICATIONS for f in row)],
        )
        return cursor.rowcount


def generate(ctx) -> dict:
    rng = random.Random(40)
    communities, residents = ctx.shared["communities"], ctx.shared["residents"]
    announcements, reads = _announcements(ctx, communities, residents, rng)
    notifications = _notifications(residents)
    return {"announcements": announcements, "announcement_reads": reads, "notifications": notifications}
