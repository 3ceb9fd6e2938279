"""The bench's report: the machine and commit it ran on, whether its ratios mean anything, and the
results as a console table and as Markdown (bench/results/<UTC time>.md). bench/run.py measures."""

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", ":!bench/results"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    if commit.returncode != 0:
        return "unknown"
    return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def wrk_version(wrk: str | None) -> str:
    if not wrk:
        return "plain Python loop (smoke without wrk)"
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0]


def ratio_verdict(results: list[dict], bare_name: str, smoke: bool) -> tuple[bool, str]:
    """Ratios mean something only when the generator is not the bottleneck: wrk must cost less CPU
    per request than the bare view costs the server."""
    if smoke:
        return False, "a smoke run (2 connections, 2 s) checks answers, not speed"
    bare = next((r for r in results if r["name"] == bare_name and r["status"] == "measured"), None)
    if bare is None:
        return False, "the bare view was not measured"
    if bare["generator_cpu_ms"] is None or bare["cpu_ms_python"] is None:
        return False, "the generator's or the server's CPU was not measured (no wrk, or no answer)"
    server = bare["cpu_ms_python"] + bare["cpu_ms_pg"]
    if bare["generator_cpu_ms"] >= server:
        return False, (
            f"wrk cost {bare['generator_cpu_ms']:.3f} ms CPU per request against the bare view, more than the "
            f"{server:.3f} ms the server spent on it: the generator, not the server, would set the ceiling"
        )
    return True, (f"wrk {bare['generator_cpu_ms']:.3f} ms CPU per request < bare view {server:.3f} ms on the server")


def fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


COLUMNS = [
    ("req/s", "rps", ",.0f"),
    ("× bare", "ratio_to_bare", ".3f"),
    ("p50 ms", "p50_ms", ".1f"),
    ("p99 ms", "p99_ms", ".1f"),
    ("SQL/req", "queries_per_request", ".1f"),
    ("CPU ms Python", "cpu_ms_python", ".2f"),
    ("CPU ms PG", "cpu_ms_pg", ".2f"),
    ("wrk CPU ms", "generator_cpu_ms", ".3f"),
]


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        if r["status"] != "measured":
            rows.append([r["name"], r["status"]] + [""] * len(COLUMNS))
            continue
        errors = sum(r["errors"].values())
        rows.append([r["name"]] + [fmt(r.get(key), spec) for _, key, spec in COLUMNS] + [str(errors)])
    return rows


def print_table(results: list[dict]) -> None:
    header = ["scenario"] + [name for name, _, _ in COLUMNS] + ["errors"]
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in [header, *rows] if i < len(row)) for i in range(len(header))]
    print("  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(header)))
    for row in rows:
        if len(row) > 1 and row[1].startswith("not yet"):
            print(f"{row[0].ljust(widths[0])}  {row[1]}")
            continue
        print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
    for r in results:
        if r.get("errors"):
            print(f"  {r['name']} errors: " + ", ".join(f"{label} × {n}" for label, n in r["errors"].items()))
        if r.get("burst"):
            print(f"  {r['name']} outcomes: " + ", ".join(f"{label} × {n}" for label, n in r["outcomes"].items()))
            for event_id, row in (r.get("seats") or {}).items():
                print(
                    f"    event {event_id}: {row['confirmed_seats']}/{row['capacity']} seats sold, "
                    f"{row['waitlisted']} waitlisted (waitlist {'on' if row['waitlist'] else 'off'})"
                )


def markdown(run: dict) -> str:
    m, s = run["machine"], run["settings"]
    lines = [
        f"# Bench {run['started_at']} · commit {run['commit']}",
        "",
        f"{m.get('cpu', '?')}, {m['nproc']} CPUs, {m.get('ram_gib')} GiB · PostgreSQL {run['postgresql']} · "
        f"cache {s['cache']} · gunicorn {s['gunicorn']} · {s['generator']} -t{s['threads']} -c{s['connections']}, "
        f"{s['warmup_s']} s warm-up + {s['duration_s']} s per scenario, on the same machine.",
        "",
        f"Load average before {run['load_average_before']}, after {run['load_average_after']} "
        "(other work on the machine lowers every req/s; the ratios less so).",
        "",
        f"Ratios: {run['ratios']}.",
        "",
        "| scenario | " + " | ".join(name for name, _, _ in COLUMNS) + " | errors |",
        "|---|" + "--:|" * (len(COLUMNS) + 1),
    ]
    for row in table_rows(run["results"]):
        lines.append("| " + " | ".join(row) + " |")
    for r in run["results"]:
        if r.get("burst"):
            sold = ", ".join(
                f"{row['confirmed_seats']}/{row['capacity']} ({'waitlist' if row['waitlist'] else 'no waitlist'}, "
                f"{row['waitlisted']} waitlisted)"
                for row in (r.get("seats") or {}).values()
            )
            outcomes = ", ".join(f"{label} × {n}" for label, n in r["outcomes"].items())
            lines += ["", f"Registration burst: {outcomes}; seats sold per event: {sold}."]
        if r.get("errors"):
            lines += ["", f"Errors in {r['name']}: " + ", ".join(f"{k} × {n}" for k, n in r["errors"].items())]
    lines += ["", "Columns: bench/README.md.", ""]
    return "\n".join(lines)
