#!/usr/bin/env python3
"""The load benchmark: `make bench` or `python3 bench/run.py [--duration 15] [--users 16] [-k me]`.

Needs Python 3.11 and a PostgreSQL on 127.0.0.1:5432 that the `postgres` user reaches without a
password (or --database-url). Redis on 127.0.0.1:6379 is used for the cache when it answers.

1. installs the app's virtualenv (like dev.py) and locust into bench/.venv;
2. recreates the database `linli_bench`, migrates it and generates the data set (bench/datasets);
3. starts gunicorn with production settings (DEBUG=0, plain HTTP on loopback) plus the bare view
   and the X-Query-Count header (bench/settings.py);
4. runs each scenario of bench/scenarios.py with locust (headless, closed loop, fixed users and
   time) after a short warm-up, and prints requests/s, the ratio to the bare Django view measured
   in the same run, p50/p95/p99, errors and SQL queries per request;
5. writes everything, with the machine it ran on, to bench/results/<UTC time>.json.

Never part of the test suite: the figures depend on the machine.
"""

import argparse
import hashlib
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import venv
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
# The app's virtualenv: .venv as dev.py makes it, or an existing one (BENCH_APP_VENV / --app-venv).
APP_VENV = Path(os.environ.get("BENCH_APP_VENV") or ROOT / ".venv")
APP_PY = APP_VENV / "bin" / "python"
LOCUST_VENV = BENCH / ".venv"
LOCUST = LOCUST_VENV / "bin" / "locust"

sys.path.insert(0, str(ROOT))


def step(message: str) -> None:
    print(f"\n==== {message}", flush=True)


# --- 1. tools ---------------------------------------------------------------------------------


def ensure_tools() -> None:
    import dev  # the README's dev.py: creates .venv and installs requirements.txt when it changed

    if APP_VENV == ROOT / ".venv":
        dev.ensure_venv("requirements.txt")
    elif not APP_PY.exists():
        sys.exit(f"no Python in the app virtualenv {APP_VENV} (BENCH_APP_VENV / --app-venv)")
    requirements = BENCH / "requirements.txt"
    stamp = LOCUST_VENV / ".installed"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not (LOCUST_VENV / "bin" / "python").exists():
        print(f"creating the load generator's virtualenv in {LOCUST_VENV}")
        venv.EnvBuilder(with_pip=True).create(LOCUST_VENV)
    pip = [LOCUST_VENV / "bin" / "python", "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", requirements], check=True)
    stamp.write_text(digest)


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
    result = subprocess.run([APP_PY, "-c", RECREATE, url], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"cannot recreate the benchmark database at {url}:\n{result.stderr.strip()}")
    return result.stdout.strip()


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
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def redis_answers(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# --- 3. server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, token: str | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [
        APP_VENV / "bin" / "gunicorn",
        "bench.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited while starting")
        try:
            if http_get(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 60 s")


# --- 4. scenarios --------------------------------------------------------------------------------


def run_locust(scenario: dict, *, host: str, fixtures: Path, users: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        stats_path = out.name
    env = {
        **os.environ,
        "BENCH_SCENARIO": json.dumps(scenario, ensure_ascii=False),
        "BENCH_FIXTURES": str(fixtures),
        "BENCH_STATS_OUT": stats_path,
    }
    command = [
        LOCUST,
        "-f",
        BENCH / "locustfile.py",
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        host,
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "5",
    ]
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=seconds + 120)
    with open(stats_path) as f:
        figures = json.load(f)
    os.unlink(stats_path)
    return figures


def missing_ids(scenario: dict, fixtures: dict) -> list[str]:
    import string

    names = [field for _, field, _, _ in string.Formatter().parse(scenario["path"]) if field]
    return [name for name in names if name not in fixtures["ids"]]


# --- 5. report -----------------------------------------------------------------------------------


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")
        )
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
        info["ram_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return info


def git_commit() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "unknown"
    if commit.returncode != 0:
        return "unknown"
    return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_table(results: list[dict]) -> None:
    columns = [("req/s", 8), ("vs bare", 8), ("p50 ms", 7), ("p95 ms", 7), ("p99 ms", 7), ("errors", 7), ("SQL/req", 8)]
    header = f"{'scenario':<26} " + " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    for r in results:
        if r["status"] != "measured":
            print(f"{r['name']:<26} {r['status']}")
            continue
        print(
            f"{r['name']:<26} {r['rps']:>8.1f} {fmt(r['ratio_to_bare'], '>8.2f')} {r['p50_ms']:>7.0f} "
            f"{r['p95_ms']:>7.0f} {r['p99_ms']:>7.0f} {r['failures']:>7d} {fmt(r['queries_per_request'], '>8.1f')}"
        )
    for r in results:
        outcomes = r.get("outcomes") or {}
        if r["status"] == "measured" and (len(outcomes) > 1 or r.get("expected")):
            print(f"  {r['name']} outcomes: " + ", ".join(f"{label} × {n}" for label, n in outcomes.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per scenario (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load first (default 3)")
    parser.add_argument("--users", type=int, default=16, help="concurrent simulated users (default 16)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/linli_bench")
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument(
        "--app-venv", help="use this existing virtualenv for the app instead of installing .venv (BENCH_APP_VENV)"
    )
    parser.add_argument("-k", dest="only", help="only scenarios whose name contains this (the bare view always runs)")
    args = parser.parse_args()
    if args.app_venv:
        global APP_VENV, APP_PY
        APP_VENV = Path(args.app_venv).resolve()
        APP_PY = APP_VENV / "bin" / "python"
    started_at = datetime.now(UTC)
    load_before = os.getloadavg()

    step("1. tools: the app's .venv and locust in bench/.venv")
    ensure_tools()
    if args.redis_url and not redis_answers(args.redis_url):
        print(f"no Redis at {args.redis_url}: the cache is process-local")
        args.redis_url = ""

    from bench.scenarios import BARE, SCENARIOS

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = app_env(args, secret_key=f"bench-{secrets.token_hex(32)}")

    step(f"2. database: recreating {args.database_url.rsplit('/', 1)[-1]}, migrating, generating the data set")
    postgres_version = recreate_database(args.database_url)
    subprocess.run([APP_PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    fixtures_path = RESULTS / "fixtures.json"
    subprocess.run([APP_PY, "-m", "bench.data", fixtures_path], cwd=ROOT, env=env, check=True)
    fixtures = json.loads(fixtures_path.read_text())
    for name, entry in fixtures["dataset"].items():
        print(f"  {name:<12} target {entry['target']:>6}  made {fmt(entry['made'], '>6')}  {entry['status']}")

    step(
        f"3. gunicorn: {args.workers} workers, DEBUG=0, PostgreSQL {postgres_version}, "
        f"cache: {args.redis_url or 'local'}"
    )
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = start_server(env, port, args.workers)
    results = []
    try:
        status, body = http_get(f"{host}/api/v1/schema/?format=json")
        assert status == 200, body[:300]
        schema_paths = set(json.loads(body)["paths"])

        step(f"4. scenarios: {args.users} users, {args.warmup} s warm-up + {args.duration} s each")
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
            if not scenario.one_request_per_token:  # a crowd acting once is measured cold, seats untouched
                run_locust(entry, host=host, fixtures=fixtures_path, users=args.users, seconds=args.warmup)
            figures = run_locust(entry, host=host, fixtures=fixtures_path, users=args.users, seconds=args.duration)
            results.append({**entry, **figures, "status": "measured"})
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    bare = next((r for r in results if r["name"] == BARE and r["status"] == "measured"), None)
    for r in results:
        if r["status"] == "measured":
            r["ratio_to_bare"] = r["rps"] / bare["rps"] if bare and bare["rps"] else None

    step("5. results")
    print_table(results)
    run = {
        "started_at": started_at.isoformat(timespec="seconds"),
        # Other work on the machine skews every figure; ratios to the bare view less so.
        "load_average_before": [round(x, 2) for x in load_before],
        "commit": git_commit(),
        "machine": machine(),
        "postgresql": postgres_version,
        "config": {
            "users": args.users,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "gunicorn_workers": args.workers,
            "cache": "redis" if args.redis_url else "local memory",
            "load_generator": "locust (FastHttpUser, closed loop), same machine",
        },
        "dataset": fixtures["dataset"],
        "results": results,
    }
    out = RESULTS / f"{started_at:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(run, ensure_ascii=False, indent=2))
    print(
        f"\nmachine: {run['machine'].get('cpu', '?')}, {run['machine']['nproc']} CPUs, "
        f"{run['machine'].get('ram_gib')} GiB"
    )
    print(f"written to {out.relative_to(ROOT)}")
    failed = [r["name"] for r in results if r["status"] == "measured" and r["failures"]]
    if failed:
        print(f"errors in: {', '.join(failed)} (see 'errors' in the JSON)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
