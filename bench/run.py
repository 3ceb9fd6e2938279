#!/usr/bin/env python3
"""The load benchmark: `make bench` or `python3 bench/run.py [--duration 15] [-c 16] [-k me] [--smoke]`.

Needs Python 3.11, `wrk` (Debian/Ubuntu: `apt-get install wrk`) and a PostgreSQL on 127.0.0.1:5432
that the `postgres` user reaches without a password (or --database-url). Redis on 127.0.0.1:6379/3
is the cache when it answers (the bench empties that database first). See bench/README.md.

1. the app's .venv (like dev.py) and wrk on PATH;
2. recreates the database `linli_bench`, migrates it, generates the data set (bench/datasets) and
   VACUUMs and ANALYZEs it;
3. starts gunicorn with production settings (DEBUG=0, plain HTTP on loopback) plus the bare view
   and the X-Query-Count header (bench/settings.py), with ./gunicorn.conf.py when the repo has one;
4. runs each scenario of bench/scenarios.py with wrk (bench/wrk/*.lua) after a short warm-up,
   measuring the server's CPU (gunicorn workers and the database's PostgreSQL backends, /proc)
   and wrk's own, and samples SQL per request with a few plain requests;
5. writes bench/results/<UTC time>.json and .md: req/s, ratio to the bare view (only when wrk
   costs less CPU per request than the bare view costs the server), p50/p99, SQL and CPU ms per
   request, errors. Exit status 1 on any error (an unexpected status, a socket error, a burst
   event that did not sell exactly its seats).

`--smoke` (CI): the small data set, 2 s per scenario, 2 connections, 2 workers, database
`linli_bench_smoke` with its tables created from the models (no migrations: bench/settings.py), no
warm-up and no results files; without wrk it falls back to a plain Python loop. It fails only on
errors. Never part of the test suite: the figures depend on the machine.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
LAST_RUN = RESULTS / "last-run.json"  # --keep: the environment and fixtures for bench/profile.py
# The app's virtualenv: .venv as dev.py makes it, or an existing one (BENCH_APP_VENV / --app-venv).
APP_VENV = Path(os.environ.get("BENCH_APP_VENV") or ROOT / ".venv")

sys.path.insert(0, str(ROOT))

from bench import load as loadgen  # noqa: E402
from bench.procstat import CpuMeter  # noqa: E402
from bench.report import fmt, git_commit, machine, markdown, print_table, ratio_verdict, wrk_version  # noqa: E402

STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"\n==== {message}  [{time.monotonic() - STARTED:.0f} s]", flush=True)


def app_py() -> Path:
    return APP_VENV / "bin" / "python"


# --- 1. tools ---------------------------------------------------------------------------------


def ensure_app_venv() -> None:
    import dev  # the README's dev.py: creates .venv and installs requirements when they changed

    if APP_VENV.resolve() != (ROOT / ".venv").resolve():
        if not app_py().exists():
            sys.exit(f"no Python in the app virtualenv {APP_VENV} (BENCH_APP_VENV / --app-venv)")
        return
    # A .venv made by `dev.py test` has the test requirements, a superset of the app's: keep it.
    dev_stamp = ROOT / ".venv" / ".installed-requirements-dev.txt"
    dev.ensure_venv("requirements-dev.txt" if dev_stamp.exists() else "requirements.txt")


def find_wrk(smoke: bool) -> str | None:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if smoke:
        print("wrk is not installed: the smoke run uses a plain Python loop (no ratios, only errors count)")
        return None
    sys.exit(
        "The bench needs wrk, a load generator that costs the machine far less than the server it measures.\n"
        f"Install it with:  {loadgen.INSTALL}   (Debian/Ubuntu; `brew install wrk` on macOS), then run again."
    )


# --- 2. database and data -----------------------------------------------------------------------

RECREATE = """
import sys
import dj_database_url
import psycopg2
from psycopg2 import sql

config = dj_database_url.parse(sys.argv[1])
conn = psycopg2.connect(
    dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
    host=config["HOST"], port=config["PORT"] or 5432,
)
conn.autocommit = True
with conn.cursor() as cur:
    name = sql.Identifier(config["NAME"])
    cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    cur.execute(sql.SQL("CREATE DATABASE {}").format(name))
    cur.execute("SHOW server_version")
    print(cur.fetchone()[0])
"""


def recreate_database(url: str) -> str:
    result = subprocess.run([app_py(), "-c", RECREATE, url], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"cannot recreate the benchmark database at {url}:\n{result.stderr.strip()}")
    return result.stdout.strip()


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def app_env(args, secret_key: str) -> dict:
    drop = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; everything else stays production
        DATABASE_URL=args.database_url,
        DB_CONN_MAX_AGE="60",  # persistent connections, as a deployment runs
        CELERY_TASK_ALWAYS_EAGER="1",
        # The throttles still run (and cost what they cost) but never trip for the load generator.
        THROTTLE_ANON="100000000/min",
        THROTTLE_USER="100000000/min",
        JWT_ACCESS_MINUTES="600",
        NUM_PROXIES="1",  # the load generator plays the load balancer: X-Forwarded-For is the client
        LINLI_VAR_DIR=str(RESULTS / "var"),
        LOG_LEVEL="ERROR",  # not a line per expected 409 of the registration burst; 5xx still show
        # gunicorn.conf.py: no access-log line per request (it would cost the server CPU and flood the output).
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.smoke:
        env["BENCH_SYNCDB"] = "1"  # tables from the models, no migrations: see bench/settings.py
    return env


def redis_command(url: str, command: bytes) -> str:
    """One inline Redis command on the URL's database: its reply line, or why there is none."""
    parts = urllib.parse.urlsplit(url)
    database = parts.path.lstrip("/") or "0"
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as s:
            s.sendall(b"SELECT " + database.encode() + b"\r\n" + command + b"\r\n")
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = s.recv(256)
                if not chunk:
                    break
                reply += chunk
    except OSError as exc:
        return f"-{exc}"
    lines = reply.decode(errors="replace").split("\r\n")
    return next((line for line in lines if line.startswith("-")), lines[1] if len(lines) > 1 else "-no answer")


# --- 3. server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, token: str | None = None, *, method: str = "GET", body: bytes | None = None, timeout: float = 10):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback only
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def gunicorn_command(port: int, workers: int | None) -> tuple[list, str]:
    """The command and how it is configured, in words for the results."""
    command = [APP_VENV / "bin" / "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    if GUNICORN_CONF.exists():
        # The repo's production config (worker count and class chosen by measurement).
        command += ["-c", GUNICORN_CONF]
        described = GUNICORN_CONF.name + (f" with {workers} workers" if workers else "")
    else:
        workers = workers or 2 * (os.cpu_count() or 1)
        command += ["--log-level", "warning", "--backlog", "2048"]
        described = f"{workers} sync workers (--backlog 2048)"
    if workers:
        command += ["--workers", str(workers)]
    return command, described


def start_server(command: list, env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited while starting")
        try:
            if http(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    os.killpg(server.pid, 15)
    sys.exit("gunicorn did not answer /healthz within 60 s")


# --- 4. scenarios --------------------------------------------------------------------------------


def missing_ids(scenario: dict, fixtures: dict) -> list[str]:
    names = [name for _, name, _, _ in string.Formatter().parse(scenario["path"]) if name]
    return [name for name in names if name not in fixtures["ids"]]


def scenario_paths(scenario: dict, fixtures: dict) -> list[str]:
    """The request path(s): one per value of a list fixture (one per load-generator thread)."""
    ids = fixtures["ids"]
    lists = {name: value for name, value in ids.items() if isinstance(value, list)}
    fixed = {name: value for name, value in ids.items() if not isinstance(value, list)}
    query = ("?" + urllib.parse.urlencode(scenario["query"])) if scenario["query"] else ""
    used = [name for _, name, _, _ in string.Formatter().parse(scenario["path"]) if name in lists]
    if not used:
        return [scenario["path"].format(**fixed) + query]
    name = used[0]
    return [scenario["path"].format(**fixed, **{name: value}) + query for value in lists[name]]


def sample_queries(host: str, scenario: dict, path: str, tokens: list[str], samples: int) -> dict:
    """SQL per request from X-Query-Count, with a few plain requests (as different people), and
    their statuses: a scenario whose answer is not 2xx here is an error whatever wrk counts."""
    counts, statuses = [], {}
    for token in tokens[:samples] if tokens else [None] * samples:
        status, headers, _ = http(host + path, token)
        statuses[status] = statuses.get(status, 0) + 1
        if headers.get("X-Query-Count") is not None:
            counts.append(int(headers["X-Query-Count"]))
    return {
        "queries_per_request": sum(counts) / len(counts) if counts else None,
        "sample_statuses": statuses,
    }


def check_seats(env: dict, threads: list[dict], connections: int) -> tuple[dict, list[str]]:
    """Each burst event (one per thread) sold exactly its seats: never more than its capacity, and
    all of them once anyone was waitlisted or refused as full. Every 201 is a row; a few more rows
    than 201s are the requests still in flight when wrk stopped (at most one per connection)."""
    ids = [int(t["path"].split("/")[4]) for t in threads]
    result = subprocess.run(
        [app_py(), "-m", "bench.seats", *map(str, ids)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        return {}, [f"cannot read the burst events' seats: {result.stderr.strip()[-500:]}"]
    seats = json.loads(result.stdout)
    in_flight = connections // len(threads)
    problems = []
    for thread, event_id in zip(threads, ids, strict=True):
        row = seats[str(event_id)]
        outcomes = thread.get("outcomes") or {}
        created = sum(n for label, n in outcomes.items() if label.startswith("2"))
        full = outcomes.get("409 event_full", 0)
        rows = row["confirmed"] + row["waitlisted"]
        row["answers"] = outcomes
        if row["confirmed_seats"] > row["capacity"]:
            problems.append(f"event {event_id}: {row['confirmed_seats']} seats sold of {row['capacity']}")
        elif (row["waitlisted"] or full) and row["confirmed_seats"] != row["capacity"]:
            problems.append(
                f"event {event_id}: {row['confirmed_seats']} of {row['capacity']} seats sold, yet "
                f"{row['waitlisted']} waitlisted and {full} refused as full"
            )
        if not created <= rows <= created + in_flight:
            problems.append(f"event {event_id}: {created} registrations answered 201, {rows} in the database")
    return seats, problems


def errors_of(result: dict, expected: dict) -> dict:
    """Unexpected answers and socket errors, by kind; {} when the scenario ran clean."""
    errors = {}
    if result.get("burst"):
        allowed = {f"{status} {code}" for status, codes in expected.items() for code in codes}
        for label, n in result["outcomes"].items():
            if not label.startswith("2") and label not in allowed:
                errors[label] = n
        if result.get("tokens_reused"):
            errors["more requests than residents (tokens reused)"] = result["tokens_reused"]
    elif result["non_2xx"]:
        errors["non-2xx"] = result["non_2xx"]
    if not result["requests"]:
        errors["no answer within the run"] = 1
    for kind, n in result["socket_errors"].items():
        errors[f"socket {kind}"] = n
    bad = {s: n for s, n in result.get("sample_statuses", {}).items() if not 200 <= int(s) < 300}
    for status, n in bad.items():
        errors[f"sample request {status}"] = n
    for problem in result.get("seat_problems", []):
        errors[problem] = 1
    return errors


def run_scenario(scenario, entry, *, args, host, fixtures, tokens_dir, wrk, meter, env) -> dict:
    paths = scenario_paths(entry, fixtures)
    tokens = fixtures["tokens"].get(scenario.persona, [])
    tokens_file = None
    if tokens:
        tokens_file = tokens_dir / f"{scenario.persona}.txt"
        tokens_file.write_text("\n".join(tokens) + "\n")
    connections = args.connections
    threads = len(paths) if scenario.burst else min(args.threads, connections)
    if scenario.burst:
        connections = max(connections - connections % threads, threads)  # the same number per event
    load = loadgen.Load(
        url=host,
        method=scenario.method,
        paths=paths,
        tokens_file=tokens_file,
        body=json.dumps(scenario.body) if scenario.body is not None else "",
        threads=threads,
        connections=connections,
        burst=scenario.burst,
    )
    figures = {}
    if (waited := meter.wait_idle()) > 2:
        print(f"    (waited {waited:.0f} s for the server to finish the previous run's requests)")
    if not scenario.burst:  # a crowd acting once is measured cold, seats untouched
        figures = sample_queries(host, entry, paths[0], tokens, args.sql_samples)
        if args.warmup:
            load.seconds = args.warmup
            loadgen.run_wrk(load, wrk) if wrk else loadgen.run_python(load)
    load.seconds = args.duration
    meter.start()
    measured, generator_cpu_s = loadgen.run_wrk(load, wrk) if wrk else loadgen.run_python(load)
    server_cpu = meter.stop()
    figures = {**measured, **{k: v for k, v in figures.items() if v is not None}}
    n = measured["requests"]

    def per_request(seconds: float | None) -> float | None:
        return seconds * 1000 / n if n and seconds is not None else None

    figures.update(
        status="measured",
        threads_connections=[threads, connections],
        cpu_ms_python=per_request(server_cpu["python"]),
        cpu_ms_pg=per_request(server_cpu["pg"]),
        generator_cpu_ms=per_request(generator_cpu_s),
    )
    if scenario.burst:
        figures["burst"] = True
        figures["seats"], figures["seat_problems"] = check_seats(env, measured["threads"], connections)
    figures["errors"] = errors_of(figures, scenario.expected)
    if not scenario.burst:  # per-thread outcomes and token reuse mean something for the burst only
        for key in ("threads", "outcomes", "tokens_reused"):
            figures.pop(key, None)
    return {**entry, **figures}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per scenario (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("-c", "--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("-t", "--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's, else 2 × CPUs)")
    parser.add_argument("--sql-samples", type=int, default=5, help="plain requests per scenario for SQL/request")
    parser.add_argument(
        "--database-url", help="default postgres://postgres@127.0.0.1:5432/linli_bench (BENCH_DATABASE_URL)"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument(
        "--app-venv", help="use this existing virtualenv for the app instead of installing .venv (BENCH_APP_VENV)"
    )
    parser.add_argument("-k", dest="only", help="only scenarios whose name contains this (the bare view always runs)")
    parser.add_argument(
        "--smoke", action="store_true", help="CI: small data, 2 s per scenario, 2 connections; fails only on errors"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"write {LAST_RUN.relative_to(ROOT)} for bench/profile.py (the database stays until the next run)",
    )
    args = parser.parse_args()
    name = "linli_bench_smoke" if args.smoke else "linli_bench"
    args.database_url = (
        args.database_url or os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{name}"
    )
    if args.smoke:
        args.duration, args.warmup, args.connections, args.sql_samples = 2, 0, 2, 2
        args.workers = args.workers or 2  # starts in half the time; a smoke run measures nothing
    return args


def main() -> int:
    global APP_VENV
    args = parse_args()
    if args.app_venv:
        APP_VENV = Path(args.app_venv).resolve()
    started_at = datetime.now(UTC)
    load_before = os.getloadavg()

    step("1. tools: the app's .venv and wrk")
    wrk = find_wrk(args.smoke)
    ensure_app_venv()
    if args.redis_url:
        reply = redis_command(args.redis_url, b"FLUSHDB")  # the bench's own cache database: start empty
        if reply != "+OK":
            print(f"no usable Redis at {args.redis_url} ({reply.lstrip('-')}): the cache is process-local")
            args.redis_url = ""

    from bench.scenarios import BARE, SCENARIOS

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = app_env(args, secret_key=f"bench-{secrets.token_hex(32)}")
    dbname = database_name(args.database_url)

    how = "creating the tables from the models" if args.smoke else "migrating"
    step(f"2. database: recreating {dbname}, {how}, generating the {'smoke' if args.smoke else 'full'} data set")
    postgres_version = recreate_database(args.database_url)
    migrate = [app_py(), "manage.py", "migrate", "--noinput", "-v", "0"] + (["--run-syncdb"] if args.smoke else [])
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    tokens_dir = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    fixtures_path = tokens_dir / "fixtures.json"
    data = [app_py(), "-m", "bench.data", fixtures_path] + (["--smoke"] if args.smoke else [])
    subprocess.run(data, cwd=ROOT, env=env, check=True)
    fixtures = json.loads(fixtures_path.read_text())
    if args.keep:
        # What bench/profile.py needs to run a scenario in-process against this database: the app's
        # environment (the tokens are signed with this run's SECRET_KEY) and the fixtures.
        ours = {name: value for name, value in env.items() if os.environ.get(name) != value}
        LAST_RUN.write_text(json.dumps({"env": ours, "fixtures": fixtures}, ensure_ascii=False))
        print(f"  kept for bench/profile.py: {LAST_RUN.relative_to(ROOT)}")
    for name, entry in fixtures["dataset"].items():
        print(f"  {name:<20} target {entry['target']:>7}  made {fmt(entry['made'], '>7')}  {entry['status']}")

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    command, gunicorn = gunicorn_command(port, args.workers)
    step(f"3. gunicorn: {gunicorn}, DEBUG=0, PostgreSQL {postgres_version}, cache: {args.redis_url or 'local'}")
    server = start_server(command, env, port)
    meter = CpuMeter(server.pid, dbname)
    results = []
    try:
        status, _, body = http(f"{host}/api/v1/schema/?format=json")
        assert status == 200, body[:300]
        schema_paths = set(json.loads(body)["paths"])

        generator = f"wrk -t{args.threads} -c{args.connections}" if wrk else f"Python, {args.connections} connections"
        step(f"4. scenarios: {generator}, {args.warmup} s warm-up + {args.duration} s each")
        for scenario in SCENARIOS:
            if args.only and scenario.name != BARE and args.only not in scenario.name:
                continue
            entry = scenario.as_dict()
            if scenario.schema_path and scenario.schema_path not in schema_paths:
                results.append({**entry, "status": f"not yet available (no {scenario.schema_path} in the schema)"})
                continue
            if missing := missing_ids(entry, fixtures):
                results.append({**entry, "status": f"not yet available (no data for {', '.join(missing)})"})
                continue
            print(f"  {scenario.name} …", flush=True)
            try:
                result = run_scenario(
                    scenario,
                    entry,
                    args=args,
                    host=host,
                    fixtures=fixtures,
                    tokens_dir=tokens_dir,
                    wrk=wrk,
                    meter=meter,
                    env=env,
                )
            except (RuntimeError, ValueError, OSError) as exc:  # the generator failed: say so, go on
                result = {**entry, "status": f"failed: {exc}", "errors": {"load generator failed": 1}}
            results.append(result)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        shutil.rmtree(tokens_dir, ignore_errors=True)

    reported, why = ratio_verdict(results, BARE, args.smoke)
    bare = next((r for r in results if r["name"] == BARE and r["status"] == "measured"), None)
    for r in results:
        if r["status"] == "measured":
            r["ratio_to_bare"] = r["rps"] / bare["rps"] if reported and bare["rps"] else None

    step("5. results")
    print_table(results)
    print(f"\nratios {'reported' if reported else 'NOT reported'}: {why}")
    run = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "smoke" if args.smoke else "full",
        # Other work on the machine skews every figure; ratios to the bare view less so.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "commit": git_commit(),
        "machine": machine(),
        "postgresql": postgres_version,
        "settings": {
            "connections": args.connections,
            "threads": args.threads,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "sql_samples": args.sql_samples,
            "gunicorn": gunicorn,
            "cache": "redis" if args.redis_url else "local memory",
            "generator": wrk_version(wrk),
        },
        "ratios": why,
        "ratios_reported": reported,
        "dataset": fixtures["dataset"],
        "results": results,
    }
    if not args.smoke:
        out = RESULTS / f"{started_at:%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n")
        out.with_suffix(".md").write_text(markdown(run))
        print(f"written to {out.relative_to(ROOT)} and .md")
    print(f"load average before {run['load_average_before']}, after {run['load_average_after']}")
    failed = [r["name"] for r in results if r.get("errors")]
    if failed:
        print(f"errors in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
