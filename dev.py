#!/usr/bin/env python3
"""The two commands of the README, needing nothing but Python 3.11:

    python3 dev.py run     # .venv + dependencies, migrate, seed the demo, serve on 127.0.0.1:8000 (DEBUG=1)
    python3 dev.py test    # .venv + test dependencies, run the whole test suite (pytest args pass through)

Dependencies are reinstalled only when a requirements file changes. `run` prints its pid: Ctrl-C, or
SIGTERM to that pid, stops the server and everything it started (runserver's autoreloader included).
"""

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def ensure_venv(requirements: str) -> None:
    if sys.version_info[:2] < (3, 11):
        sys.exit(f"Python 3.11+ is required, this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "-r", ROOT / requirements], check=True)
    stamp.write_text(digest.hexdigest())


def manage(*args: str) -> None:
    subprocess.run([PY, ROOT / "manage.py", *args], check=True, cwd=ROOT)


def run(args: list[str]) -> int:
    ensure_venv("requirements.txt")
    # The app is production unless told otherwise; this is a developer's machine.
    os.environ.setdefault("DEBUG", "1")
    manage("migrate", "--noinput")
    manage("seed_demo")
    address = args[0] if args else "127.0.0.1:8000"
    print(f"serving on http://{address}/  (API docs: /api/docs/, admin: /admin/ admin/admin)")
    print(f"dev.py pid {os.getpid()}: Ctrl-C or `kill {os.getpid()}` stops the server", flush=True)
    return serve([str(PY), str(ROOT / "manage.py"), "runserver", address])


def serve(command: list[str], *, grace_seconds: float = 10) -> int:
    """Run `command` in a process group of its own until it exits or we get SIGINT / SIGTERM; then end
    the whole group and wait for it. (runserver's autoreloader forks the real server: signalling only
    the first process would leave the server listening.) Stopped by a signal, the exit status is 0."""
    child = subprocess.Popen(command, cwd=ROOT, process_group=0)
    stopped = []

    def stop(signum, frame):
        stopped.append(signum)
        _signal_group(child.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = child.wait()
    _signal_group(child.pid, signal.SIGTERM)  # whatever the leader left behind
    deadline = time.monotonic() + grace_seconds
    while _group_alive(child.pid):
        if time.monotonic() > deadline:
            _signal_group(child.pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    return 0 if stopped else code


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test(args: list[str]) -> int:
    ensure_venv("requirements-dev.txt")
    return subprocess.run([PY, "-m", "pytest", *args], cwd=ROOT).returncode


def main() -> int:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
