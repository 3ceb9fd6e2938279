"""`python -m bench.data FIXTURES.json [--smoke]`: fill the (empty, migrated) benchmark database and
write the fixtures (the access tokens and ids the load generator needs).

Run by bench/run.py with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL of the bench
database. Ends with `VACUUM (ANALYZE)` of the whole database, the state autovacuum keeps a live
database in: bulk-loaded tables have no statistics until it gets to them (the planner would pick
its indexes blind), and no visibility map, so every count of a list page would read the table's
rows instead of its index (the staff work-order count: 3.8 ms before, 1.2 ms after).
"""

import argparse
import json
import time

import django


def main(out: str, smoke: bool) -> None:
    django.setup()
    from django.db import connection, transaction

    from bench.datasets import SMOKE_BURST, SMOKE_TARGETS, Context, generators

    ctx = Context(targets=dict(SMOKE_TARGETS), burst=dict(SMOKE_BURST)) if smoke else Context()
    made: dict = {}
    for generator in generators():
        started = time.monotonic()
        with transaction.atomic():
            made.update(generator.generate(ctx))
        print(f"  data: {generator.NAME:<20} {time.monotonic() - started:5.1f}s  {generator.generate.__module__}")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"  VACUUM (ANALYZE) every table {time.monotonic() - started:5.1f}s")
    report = {
        name: {"target": target, "made": made.get(name), "status": "ok" if made.get(name) else "no generator yet"}
        for name, target in ctx.targets.items()
    }
    with open(out, "w") as f:
        json.dump({**ctx.fixtures, "dataset": report, "burst": ctx.burst}, f, ensure_ascii=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--smoke", action="store_true", help="the small data set of the CI smoke run")
    args = parser.parse_args()
    main(args.out, args.smoke)
