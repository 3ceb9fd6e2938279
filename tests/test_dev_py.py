"""dev.py's `serve`: SIGTERM or Ctrl-C (SIGINT) to dev.py ends the whole process group it started —
runserver's autoreloader forks the real server, which a signal to the first process alone would leave
listening. A stand-in server that forks a grandchild the same way keeps this fast (no venv, no seed)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The stand-in for `manage.py runserver`: prints its pid, starts a grandchild (the autoreloader's
# server process) that prints its pid, and both sleep.
FAKE_SERVER = """
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import os, time; print(os.getpid(), flush=True); time.sleep(120)"])
print(os.getpid(), flush=True)
time.sleep(120)
"""
DEV = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import dev
sys.exit(dev.serve([sys.executable, "-c", {FAKE_SERVER!r}], grace_seconds=5))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by its new parent counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_dev_py_leaves_no_server_process_behind(signum):
    dev = subprocess.Popen([sys.executable, "-c", DEV], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(dev.stdout.readline()), int(dev.stdout.readline())]  # the server and its fork
        assert all(_alive(pid) for pid in pids)

        dev.send_signal(signum)

        assert dev.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in pids)
    finally:
        dev.kill()
