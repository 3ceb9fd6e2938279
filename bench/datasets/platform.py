"""Communities (the demo's three, seeded by seed_demo), 5,000 resident accounts, 30 community staff.

Residents are spread round-robin over the communities (resident i lives in community i % 3); their
verified residency (a room, an approved verification, the scoped resident role) is made by
bench/datasets/residents.py, which owns the rooms.

Every resident and staff member gets an access token: the load generator sends each request as
the next person, so that per-user state (throttle histories) stays as small as real use keeps it.
"""

import io
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from linli.accounts.models import Membership, Role, User
from linli.accounts.tokens import RefreshToken
from linli.regions.models import Community

NAME = "residents"
ORDER = 0
BATCH = 1_000
STAFF = 30


def generate(ctx) -> dict:
    call_command("seed_demo", stdout=io.StringIO())
    communities = list(Community.objects.order_by("id")[: ctx.targets["communities"]])
    count = ctx.targets["residents"]
    unusable = make_password(None)  # residents log in with WeChat, never with a password
    users = [
        User(
            username=f"wx_bench-r{i}",
            wechat_openid=f"bench-r{i}",
            display_name=f"居民{i:04d}",
            phone=f"139{i:08d}",
            birth_date=date(1940 + i % 60, 1 + i % 12, 1 + i % 28),  # ages 26–86, for age-limited events
            password=unusable,
        )
        for i in range(count)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    residents = list(User.objects.filter(username__startswith="wx_bench-r").order_by("id"))
    staff = User.objects.bulk_create(
        [
            User(username=f"bench_staff{i}", display_name=f"社区工作人员{i}", is_staff=True, password=unusable)
            for i in range(STAFF)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, role=Role.COMMUNITY_STAFF, community=communities[1]) for user in staff]
    )
    ctx.fixtures["tokens"]["resident"] = [str(RefreshToken.for_user(u).access_token) for u in residents]
    ctx.fixtures["tokens"]["staff"] = [str(RefreshToken.for_user(u).access_token) for u in staff]
    ctx.fixtures["ids"]["community_id"] = communities[0].pk
    ctx.shared.update(communities=communities, residents=residents)
    return {"communities": Community.objects.count(), "residents": len(residents)}
