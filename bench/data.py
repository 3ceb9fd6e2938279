"""`python -m bench.data FIXTURES.json`: fill the (empty, migrated) benchmark database and write the fixtures.

Run by bench/run.py with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL of the bench database.
"""

import json
import sys
import time

import django


def main(out: str) -> None:
    django.setup()
    from django.db import transaction

    from bench.datasets import Context, generators

    ctx = Context()
    made: dict = {}
    for generator in generators():
        started = time.monotonic()
        with transaction.atomic():
            made.update(generator.generate(ctx))
        print(f"  data: {generator.NAME:<12} {time.monotonic() - started:5.1f}s  {generator.generate.__module__}")
    report = {
        name: {"target": target, "made": made.get(name), "status": "ok" if made.get(name) else "no generator yet"}
        for name, target in ctx.targets.items()
    }
    with open(out, "w") as f:
        json.dump({**ctx.fixtures, "dataset": report}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
