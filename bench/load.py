"""The load generator: one wrk run per scenario (bench/wrk/*.lua), or — for the CI smoke only, when
wrk is not installed — a plain Python loop sending the same requests (no ratio is reported then).

Both return the same figures: requests, seconds, req/s, p50/p90/p99/max latency in ms, non-2xx
answers (status ≥ 400, as wrk counts them), socket errors, and for the burst the answers by outcome
per thread (one burst event per thread) and the X-Query-Count header summed over the answers.
"""

import contextlib
import http.client
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

WRK_DIR = Path(__file__).resolve().parent / "wrk"
MARK = "BENCH_JSON "
INSTALL = "apt-get install wrk"


@dataclass
class Load:
    url: str  # http://127.0.0.1:PORT
    method: str
    paths: list[str]  # thread n sends to paths[n % len(paths)]
    tokens_file: Path | None  # one access token per line; None: anonymous
    body: str = ""
    threads: int = 2
    connections: int = 16
    seconds: float = 15
    burst: bool = False  # each token once, answers counted by outcome (bench/wrk/burst.lua)
    extra: dict = field(default_factory=dict)

    def script_args(self) -> list[str]:
        tokens = str(self.tokens_file) if self.tokens_file else "-"
        return [str(self.threads), tokens, self.method, self.body, *self.paths]


def wrk_command(load: Load, wrk: str = "wrk") -> list[str]:
    script = WRK_DIR / ("burst.lua" if load.burst else "read.lua")
    return [
        wrk,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        "--timeout",
        "10s",  # wrk's default 2 s would turn a slow answer under load into a socket error
        "-s",
        str(script),
        load.url,
        "--",
        *load.script_args(),
    ]


def parse_wrk_output(stdout: str) -> dict:
    """The figures from the BENCH_JSON line that bench/wrk/common.lua's done() prints."""
    line = next((line for line in stdout.splitlines() if line.startswith(MARK)), None)
    if line is None:
        raise ValueError(f"no {MARK.strip()} line in the wrk output:\n{stdout[-2000:]}")
    raw = json.loads(line[len(MARK) :])
    errors = raw["errors"]
    latency = raw["latency_us"]
    seconds = raw["duration_us"] / 1e6
    threads = raw.get("threads") or []
    outcomes: dict[str, int] = {}
    queries = counted = exhausted = 0
    for thread in threads:
        thread["outcomes"] = thread.get("outcomes") or {}
        for label, n in thread["outcomes"].items():
            outcomes[label] = outcomes.get(label, 0) + n
        queries += thread.get("queries") or 0
        counted += thread.get("counted") or 0
        exhausted += thread.get("exhausted") or 0
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "max_ms": latency["max"] / 1000,
        "non_2xx": errors["status"],
        "socket_errors": {k: errors[k] for k in ("connect", "read", "write", "timeout") if errors[k]},
        "outcomes": dict(sorted(outcomes.items(), key=lambda item: -item[1])),
        "threads": threads,
        "queries_per_request": queries / counted if counted else None,
        "tokens_reused": exhausted,
    }


def run_wrk(load: Load, wrk: str = "wrk") -> tuple[dict, float]:
    """Run wrk; return its figures and the CPU seconds wrk itself used (user + system, the kernel's
    counters of the process — what /proc/<pid>/stat shows — collected when it exits)."""
    with subprocess.Popen(wrk_command(load, wrk), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        # wait4 rather than wait(): it also returns the process's resource usage. wrk prints a few
        # lines only, well within the pipe's buffer, so reading after it exits cannot block it.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out, err = process.stdout.read(), process.stderr.read()
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}: {err.strip()[-2000:]}")
    return parse_wrk_output(out), usage.ru_utime + usage.ru_stime


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


def run_python(load: Load) -> tuple[dict, None]:
    """The smoke's fallback without wrk: `connections` threads (each one connection, spread over the
    paths like wrk's threads), the same tokens and requests, the same figures. Its own CPU is not
    measured (it shares the runner's process): no ratio comes out of it."""
    tokens = load.tokens_file.read_text().split() if load.tokens_file else []
    target = urlsplit(load.url)
    deadline = time.monotonic() + load.seconds
    latencies: list[float] = []
    lock = threading.Lock()
    threads_out: list[dict] = []
    totals = {"requests": 0, "non_2xx": 0, "socket": 0}

    def worker(n: int) -> None:
        mine = tokens[n :: load.connections] or [None]
        path = load.paths[n % len(load.paths)]
        out = {"id": n, "path": path, "outcomes": {}, "queries": 0, "counted": 0, "exhausted": 0}
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        i = 0
        while time.monotonic() < deadline:
            if i == len(mine):
                out["exhausted"] += 1
                i = 0
            token = mine[i]
            i += 1
            headers = {"X-Forwarded-For": f"10.{n}.{i // 250 % 250}.{i % 250 + 1}"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            if load.body:
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            try:
                conn.request(load.method, path, body=load.body or None, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                with lock:
                    totals["socket"] += 1
                continue
            elapsed = time.perf_counter() - started
            if load.burst:
                label = str(response.status)
                if response.status >= 300:
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        label += f" {json.loads(body)['code']}"
                out["outcomes"][label] = out["outcomes"].get(label, 0) + 1
                if (count := response.getheader("X-Query-Count")) is not None:
                    out["queries"] += int(count)
                    out["counted"] += 1
            with lock:
                latencies.append(elapsed)
                totals["requests"] += 1
                totals["non_2xx"] += response.status >= 400
        conn.close()
        with lock:
            threads_out.append(out)

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(load.connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.monotonic() - started
    latencies.sort()
    line = {
        "requests": totals["requests"],
        "duration_us": seconds * 1e6,
        "errors": {"connect": 0, "read": totals["socket"], "write": 0, "status": totals["non_2xx"], "timeout": 0},
        "latency_us": {
            "p50": _percentile(latencies, 50) * 1e6,
            "p90": _percentile(latencies, 90) * 1e6,
            "p99": _percentile(latencies, 99) * 1e6,
            "max": (latencies[-1] if latencies else 0) * 1e6,
        },
        "threads": sorted(threads_out, key=lambda t: t["id"]) if load.burst else [],
    }
    return parse_wrk_output(MARK + json.dumps(line)), None
