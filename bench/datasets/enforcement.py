"""综合行政执法 reports (线索) over the last 120 days, spread over the demo's township teams and
district departments, with the officers who work one township team's queue.

* `ENFORCEMENT_REPORTS` target reports of the demo's public categories; a third go to the 陶堰 township
  team, the rest to the other teams. Newest ones are open (waiting, dispatched, accepted, handling;
  some past their deadline), older ones resolved, closed or merged away.
* 10 bench officers of the 陶堰 team (persona `officer`): the staff enforcement report list shows
  them their team's reports (about a third of all).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from enforcement.models import Category, ProblemReport, ReportHistory, Team
from linli.accounts.models import Membership, Role, User
from linli.accounts.tokens import RefreshToken

NAME = "enforcement_reports"
ORDER = 70
BATCH = 5_000
OFFICERS = 10
QUEUE_TEAM = "team-taoyan"
R = ProblemReport.Status

DESCRIPTIONS = [
    "沿街商铺占道经营，摆摊至人行道中间。",
    "工地夜间施工噪音扰民，持续到 23 点以后。",
    "河道边有人倾倒建筑垃圾。",
    "小区门口共享单车乱停放，堵塞消防通道。",
    "餐馆油烟直排，附近居民反映强烈。",
    "绿化带被私自开垦种菜。",
]


def _status(age: float, rng: random.Random) -> str:
    if age < 0.03:
        return R.REPORTED
    if age < 0.12:
        return rng.choice((R.DISPATCHED, R.ACCEPTED, R.HANDLING))
    roll = rng.random()
    return R.RESOLVED if roll < 0.1 else R.FEEDBACK if roll < 0.2 else R.CLOSED


def generate(ctx) -> dict:
    rng = random.Random(70)
    residents = ctx.shared["residents"]
    categories = list(Category.objects.filter(is_public=True).select_related("matter").order_by("id"))
    queue = Team.objects.get(code=QUEUE_TEAM)
    others = list(Team.objects.exclude(pk=queue.pk).exclude(kind=Team.Kind.COMMAND_CENTER).order_by("id"))
    unusable = make_password(None)
    officers = User.objects.bulk_create(
        [
            User(username=f"bench_officer{j}", display_name=f"陶堰执法队员{j}", is_staff=True, password=unusable)
            for j in range(OFFICERS)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                role=Role.OFFICER,
                scope_type=ContentType.objects.get_for_model(Team),
                scope_id=queue.pk,
                street_id=queue.street_id,
            )
            for u in officers
        ]
    )
    now = timezone.now()
    count = ctx.targets["enforcement_reports"]
    reports = []
    for k in range(count):
        age = k / count  # 0 = newest
        category = categories[k % len(categories)]
        team = queue if k % 3 == 0 else others[k % len(others)]
        status = _status(age, rng)
        created = now - timedelta(days=120 * age, minutes=rng.randrange(600))
        dispatched = status != R.REPORTED
        done = status in ProblemReport.DONE_STATUSES
        reporter = residents[rng.randrange(len(residents))]
        reports.append(
            ProblemReport(
                channel=ProblemReport.Channel.RESIDENT if k % 4 else ProblemReport.Channel.GRID,
                category=category,
                matter=category.matter,
                description=DESCRIPTIONS[k % len(DESCRIPTIONS)],
                street_id=team.street_id,
                lat=Decimal("30.017200") + Decimal(rng.randrange(-900, 900)) / 100_000,
                lng=Decimal("120.700100") + Decimal(rng.randrange(-900, 900)) / 100_000,
                address=f"{team.name.removesuffix('综合行政执法队')}人民路 {k % 300 + 1} 号",
                reporter=reporter,
                contact_name=reporter.display_name,
                contact_phone=reporter.phone,
                status=status,
                team=team if dispatched else None,
                assignee=officers[k % OFFICERS] if dispatched and team == queue else None,
                dispatched_at=created + timedelta(hours=1) if dispatched else None,
                # Working reports older than their matter's deadline show as overdue.
                deadline_at=created + timedelta(hours=category.matter.deadline_hours) if dispatched else None,
                resolved_at=created + timedelta(days=2) if done else None,
                closed_at=created + timedelta(days=3) if status == R.CLOSED else None,
                outcome=ProblemReport.Outcome.RECTIFIED if done else "",
                rating=rng.choice((4, 5, None)) if status == R.CLOSED else None,
            )
        )
    ProblemReport.objects.bulk_create(reports, batch_size=BATCH)
    ReportHistory.objects.bulk_create(
        [
            ReportHistory(report=r, action="report", from_status="", to_status=R.REPORTED, actor=r.reporter)
            for r in reports
        ],
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ProblemReport._meta.db_table} SET created_at = COALESCE(dispatched_at - interval '1 hour', "
            f"now() - make_interval(days => (120 * (id - %s) / %s)::int)), updated_at = now() WHERE id >= %s",
            [reports[0].pk, count, reports[0].pk],
        )
    ctx.fixtures["tokens"]["officer"] = [str(RefreshToken.for_user(u).access_token) for u in officers]
    return {"enforcement_reports": len(reports)}
