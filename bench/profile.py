"""Where a scenario's CPU goes: `.venv/bin/python -m bench.profile -k "order list" [-n 200] [--cprofile]`.

Runs one scenario of bench/scenarios.py in this process, against the database and fixtures of the
last `python3 bench/run.py --keep` (bench/results/last-run.json: the server's environment, the
tokens and ids), or of a fixtures file `python -m bench.data` wrote, with that environment set.
Requests go through Django's WSGI application as gunicorn calls it (without the socket), as the
persona's people in turn, after a few unmeasured ones that warm the caches.

It prints CPU ms per request — this process's, and the PostgreSQL backend's from /proc (the server
runs on this machine) — and SQL per request; with --cprofile, the functions that cost the most.
Unlike the wrk run it is not disturbed by the generator, and a profile explains what a figure of
the table is made of. Never part of the test suite: the figures depend on the machine.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

import django

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid: int) -> float:
    """utime + stime of a PostgreSQL backend, in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS


# Where a request's Python time goes, as cumulative time of the functions that start each part
# (file name, function name); parts nest (the SQL of the page is inside "the view").
PHASES = [
    ("the whole request (Django's handler)", "handlers/base.py", "get_response"),
    ("  authentication (JWT, the user's row)", "rest_framework/views.py", "perform_authentication"),
    ("  permissions", "rest_framework/views.py", "check_permissions"),
    ("  throttles (Redis)", "rest_framework/views.py", "check_throttles"),
    ("  the view (DRF's handler)", "rest_framework/views.py", "dispatch"),
    ("    building SQL (compiler.as_sql)", "models/sql/compiler.py", "as_sql"),
    ("    running SQL (waiting on PostgreSQL)", "backends/utils.py", "_execute"),
    ("    rows to model objects (Model.from_db)", "db/models/base.py", "from_db"),
    ("    prefetching related rows", "db/models/query.py", "prefetch_related_objects"),
    ("    serializing (Serializer.data)", "rest_framework/serializers.py", "data"),
    ("    rendering JSON", "rest_framework/renderers.py", "render"),
]


def print_phases(stats: pstats.Stats, n: int) -> None:
    """The cumulative ms per request of each part of PHASES (with cProfile's overhead). Where several
    functions match (DRF's `data` of a list calls the one of its base), the outermost counts."""
    print("  where the Python time goes (cumulative ms per request):")
    for label, path, function in PHASES:
        total = (
            max(
                cumulative
                for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items()
                if name == function and filename.endswith(path)
            )
            if any(name == function and filename.endswith(path) for (filename, _, name) in stats.stats)
            else 0.0
        )
        print(f"    {label:<45} {total * 1000 / n:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "run",
        nargs="?",
        default=str(Path(__file__).parent / "results" / "last-run.json"),
        help="what `bench/run.py --keep` wrote (default), or a fixtures file of bench.data",
    )
    parser.add_argument("-k", dest="only", required=True, help="the scenario whose name contains this")
    parser.add_argument("-n", type=int, default=200, help="measured requests (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (default 20)")
    parser.add_argument("--cprofile", action="store_true", help="print the 30 costliest functions")
    parser.add_argument(
        "--path", help="another GET path (a floor: /bench/bare/, /api/v1/notifications/unread-count/), as -k's persona"
    )
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the statements of one request")
    parser.add_argument("--filter", default="", help="with --cprofile: only functions whose file matches this regex")
    parser.add_argument("--limit", type=int, default=30, help="functions printed with --cprofile")
    parser.add_argument("--sort", default="tottime", help="pstats sort key with --cprofile (default tottime)")
    args = parser.parse_args()

    run = json.loads(Path(args.run).read_text())
    if "env" in run:  # bench/run.py --keep: the server's environment, then its fixtures
        os.environ.update(run["env"])
        run = run["fixtures"]
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from bench.run import scenario_paths
    from bench.scenarios import SCENARIOS

    fixtures = run
    matches = [s for s in SCENARIOS if args.only in s.name and not s.burst]
    if len(matches) != 1:
        raise SystemExit(f"-k {args.only!r} names {len(matches)} read scenarios: {[s.name for s in matches]}")
    scenario = matches[0]
    path = args.path or scenario_paths(scenario.as_dict(), fixtures)[0]
    tokens = fixtures["tokens"].get(scenario.persona) or [None]
    application = get_wsgi_application()
    route, _, query = path.partition("?")
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": urllib.parse.unquote(route),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }

    def get(i: int):
        # As gunicorn calls the application: a WSGI environ, the body read, the response closed.
        token = tokens[i % len(tokens)]
        environ = {**base, **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {})}
        status = []
        response = application(environ, lambda s, headers, exc_info=None: status.append(s))
        body = b"".join(response)
        response.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]} {body[:300]!r}")

    for i in range(args.warmup):
        get(i)
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does before forking the workers
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: queries.append((sql, params)) or execute(sql, params, many, context)
    ):
        get(args.warmup)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    profiler = cProfile.Profile() if args.cprofile else None
    pg_before, py_before, wall_before = backend_cpu_ms(pid), time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(args.n):
        get(args.warmup + 1 + i)
    if profiler:
        profiler.disable()
    py = (time.process_time() - py_before) * 1000 / args.n
    wall = (time.perf_counter() - wall_before) * 1000 / args.n
    pg = (backend_cpu_ms(pid) - pg_before) / args.n
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        same = cursor.fetchone()[0] == pid

    print(f"{scenario.name}: {urllib.parse.unquote(path)} as {scenario.persona} ({len(tokens)} people)")
    print(f"  CPU ms per request: Python {py:.2f} + PostgreSQL {pg:.2f}   (wall {wall:.2f}, {args.n} requests)")
    print(f"  SQL per request: {len(queries)}" + ("" if same else "   (the backend changed: PG figure incomplete)"))
    if args.sql or args.explain:
        for sql, params in queries:
            print(f"    {sql}")
            if args.explain and sql.startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql, params)
                    print("\n".join(f"      {line}" for (line,) in cursor.fetchall()))
    if profiler:
        print("  (Python figures include cProfile's own overhead)")
        print_phases(pstats.Stats(profiler), args.n)
        pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(
            *([args.filter] if args.filter else []), args.limit
        )


if __name__ == "__main__":
    main()
