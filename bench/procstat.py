"""CPU time of the processes that serve the benchmark, from the kernel's /proc counters.

The server side of a scenario is the gunicorn master and its workers (Python) and the PostgreSQL
backends connected to the bench database. `CpuMeter` samples `utime + stime` of each of them every
second between start() and stop() and keeps the last value seen per process, so a worker or a
backend that exits during the scenario (persistent connections are reopened every
DB_CONN_MAX_AGE seconds) still counts up to its last sample, and one that starts during it counts
from zero. Backends are recognised by their process title, `postgres: [cluster: ]USER DATABASE
HOST(PORT) STATE` — what `pg_stat_activity.datname` says, without a database round trip — so other
databases on the same server (other test runs) are not counted. Parallel query workers are not
counted (the bench's pages do not use them).

Linux only; stdlib only (bench/run.py runs under any Python 3.11).
"""

import os
import re
import threading
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")
_TITLE = re.compile(r"^postgres: (?:\S+: )?(\S+) (\S+) ")


def stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds in user + system mode) of a live process, None if it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may contain spaces and parentheses
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in (PROC / str(pid) / "task" / str(pid) / "children").read_text().split()]
    except OSError:  # a kernel without CONFIG_PROC_CHILDREN: look at every process's parent
        return [p for p in _pids() if (s := stat(p)) is not None and s[0] == pid]


def _pids() -> list[int]:
    return [int(name) for name in os.listdir(PROC) if name.isdigit()]


def postgres_backends(database: str) -> list[int]:
    """Backends connected to `database` (any user), by process title."""
    found = []
    for pid in _pids():
        try:
            title = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        match = _TITLE.match(title)
        if match and match.group(2) == database:
            found.append(pid)
    return found


class CpuMeter:
    """Server CPU seconds between start() and stop(): {"python": gunicorn, "pg": PostgreSQL backends}."""

    def __init__(self, gunicorn_pid: int, database: str, interval: float = 1.0):
        self.gunicorn_pid, self.database, self.interval = gunicorn_pid, database, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}

    def _sample(self) -> dict[tuple[str, int], float]:
        pids = [("python", self.gunicorn_pid)] + [("python", p) for p in children(self.gunicorn_pid)]
        pids += [("pg", p) for p in postgres_backends(self.database)]
        return {key: s[1] for key in pids if (s := stat(key[1])) is not None}

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.last.update(self._sample())

    def start(self) -> None:
        self.first = self._sample()
        self.last = dict(self.first)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def wait_idle(self, *, quiet: float = 0.1, timeout: float = 60) -> float:
        """Wait until the server uses less than `quiet` of a core (the requests a previous run left
        queued are done), at most `timeout` seconds; returns the seconds waited."""
        started = time.monotonic()
        before = self._sample()
        while time.monotonic() - started < timeout:
            time.sleep(self.interval / 2)
            after = self._sample()
            spent = sum(seconds - before.get(key, 0.0) for key, seconds in after.items())
            if spent < quiet * self.interval / 2:
                break
            before = after
        return time.monotonic() - started

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.last.update(self._sample())
        spent = {"python": 0.0, "pg": 0.0}
        for key, seconds in self.last.items():
            spent[key[0]] += seconds - self.first.get(key, 0.0)
        return spent
