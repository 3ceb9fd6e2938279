#!/usr/bin/env python3
"""Fan-out benchmark: `notify()` to every resident of a 10,000-resident community against a bare
`bulk_create` of the same Notification rows, on the same database, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli .venv/bin/python bench/notify_fanout.py
    … [--residents 10000] [--repeat 3] [--kind announcement.bench]

Creates the community 「压测社区」 (code `bench-fanout`) and its residents once (later runs reuse
them), then times, alternating, `notify(<QuerySet of the residents>, …)` inside a transaction (what
a staff action that notifies a community does: reading the recipients, building and inserting the
rows in batches, registering the on-commit dispatch) and `Notification.objects.bulk_create(rows,
batch_size=500)` of the same rows built from ids already in memory, also inside a transaction. The
rows of each timed run are deleted afterwards (not timed). Prints rows/second of both and the ratio.

The default kind goes to the inbox only. With a kind that pushes (e.g. `work_order.bench`, WeChat)
notify() also marks the rows for dispatch and enqueues CHUNK_SIZE-sized dispatch tasks on commit;
run that only with a broker and CELERY_TASK_ALWAYS_EAGER=0, else the eager tasks run inside the
timing. Never part of the test suite: the figures depend on the machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from linli.accounts.models import Membership, Role, User  # noqa: E402
from linli.notifications import conf  # noqa: E402
from linli.notifications.models import Notification  # noqa: E402
from linli.notifications.services import CHUNK_SIZE, notify  # noqa: E402
from linli.regions.models import Community, Street  # noqa: E402

TITLE = "停水通知"
BODY = "因管网检修，明天 9:00–12:00 小区停水，请提前储水。"
LINK = "/pages/announcements/detail?id=1"


def ensure_residents(count: int) -> Community:
    street, _ = Street.objects.get_or_create(
        code="bench-fanout-street", defaults={"name": "压测街道", "city": "衢州市", "district": "柯城区"}
    )
    community, _ = Community.objects.get_or_create(
        code="bench-fanout", defaults={"name": "压测社区", "street": street, "address": "压测路 1 号"}
    )
    have = Membership.objects.filter(community=community, role=Role.RESIDENT).count()
    if have >= count:
        return community
    print(f"creating {count - have} residents in {community.name} …", flush=True)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"bench-fanout-{n:06d}", display_name=f"居民{n}", wechat_openid=f"bench-openid-{n:06d}")
                for n in range(have, count)
            ],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [Membership(user=user, role=Role.RESIDENT, community=community, position="户主") for user in users],
            batch_size=1000,
        )
    return community


def residents_of(community: Community):
    return User.objects.filter(memberships__community=community, memberships__role=Role.RESIDENT).distinct()


def clean(kind: str) -> None:
    Notification.objects.filter(kind=kind).delete()


def time_notify(community: Community, kind: str) -> tuple[float, int]:
    started = time.perf_counter()
    with transaction.atomic():
        written = notify(residents_of(community), kind, TITLE, BODY, link=LINK, data={"announcement": 1})
    return time.perf_counter() - started, written


def time_bulk_create(ids: list[int], kind: str) -> tuple[float, int]:
    started = time.perf_counter()
    with transaction.atomic():
        rows = [
            Notification(recipient_id=uid, kind=kind, title=TITLE, body=BODY, link=LINK, data={"announcement": 1})
            for uid in ids
        ]
        Notification.objects.bulk_create(rows, batch_size=CHUNK_SIZE)
    return time.perf_counter() - started, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (the median is reported)")
    parser.add_argument("--kind", default="announcement.bench")
    args = parser.parse_args()

    push = conf.push_channels_for(args.kind)
    if push and settings.CELERY_TASK_ALWAYS_EAGER:
        sys.exit(f"{args.kind} pushes ({push}): use a broker with CELERY_TASK_ALWAYS_EAGER=0, or an inbox-only kind")

    db = connection.settings_dict
    print(f"database: {connection.vendor} {db['NAME']} · kind {args.kind} · push channels {push or 'none'}")
    community = ensure_residents(args.residents)
    ids = list(residents_of(community).values_list("pk", flat=True))
    clean(args.kind)

    results = {"notify()": [], "bulk_create": []}
    for run in range(args.repeat + 1):  # run 0 warms caches and is not counted
        for name in ("notify()", "bulk_create") if run % 2 else ("bulk_create", "notify()"):
            timed = time_notify(community, args.kind) if name == "notify()" else time_bulk_create(ids, args.kind)
            seconds, rows = timed
            assert rows == len(ids), f"{name} wrote {rows} rows, expected {len(ids)}"
            clean(args.kind)
            if run:
                results[name].append(rows / seconds)

    print(f"\n{len(ids)} recipients, median of {args.repeat} runs each")
    for name, rates in results.items():
        runs = ", ".join(f"{r:,.0f}" for r in rates)
        print(f"  {name:<12} {statistics.median(rates):>10,.0f} rows/s   (runs: {runs})")
    ratio = statistics.median(results["notify()"]) / statistics.median(results["bulk_create"])
    print(f"  ratio notify()/bulk_create: {ratio:.2f}")


if __name__ == "__main__":
    main()
