#!/usr/bin/env python3
"""The two commands of the README, needing nothing but Python 3.11:

    python3 dev.py run     # .venv + dependencies, migrate, seed the demo, serve on 127.0.0.1:8000
    python3 dev.py test    # .venv + test dependencies, run the whole test suite (pytest args pass through)

Dependencies are reinstalled only when a requirements file changes.
"""

import hashlib
import os
import subprocess
import sys
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
    manage("migrate", "--noinput")
    manage("seed_demo")
    address = args[0] if args else "127.0.0.1:8000"
    print(f"serving on http://{address}/  (API docs: /api/docs/, admin: /admin/ admin/admin)")
    os.execv(PY, [str(PY), str(ROOT / "manage.py"), "runserver", address])


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
