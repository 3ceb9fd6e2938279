"""Finding 10: with nothing set, a server ran with DEBUG on, the built-in SECRET_KEY (a JWT signed
with it as user 1 was an admin), sandbox login and payments. Production is now the default.

Each test reads the settings in a fresh interpreter with a clean environment, as a server starts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "safe-defaults-test-3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e2b4d6f0a9c1e3b5d7f9a2c4e6b8d0f1a3"
READ = (
    "import json; from linli import settings; "
    "print(json.dumps({'debug': settings.DEBUG, 'sandbox': settings.LINLI_SANDBOX, "
    "'sms': settings.SMS_BACKEND, 'secret': settings.SECRET_KEY}))"
)


def settings_with(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "SANDBOX", "LINLI_SANDBOX")}
    clean.update(env, DJANGO_SETTINGS_MODULE="linli.settings", LINLI_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    return result


def test_a_server_with_nothing_set_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_server_with_only_a_secret_key_runs_in_production_without_sandboxes(tmp_path):
    result = settings_with(tmp_path, SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"debug": False, "sandbox": False, "sms": "", "secret": SECRET}


def test_a_demo_host_opts_in_to_the_sandbox_explicitly(tmp_path):
    result = settings_with(tmp_path, SECRET_KEY=SECRET, SANDBOX="1")
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout.splitlines()[-1])
    assert (read["debug"], read["sandbox"], read["sms"]) == (False, True, "console")


def test_a_developer_turns_debug_on_and_gets_the_embedded_default(tmp_path):
    result = settings_with(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout.splitlines()[-1])
    assert (read["debug"], read["sandbox"]) == (True, True)


def test_code_only_commands_need_no_production_secret(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "SANDBOX", "LINLI_SANDBOX")}
    clean.update(DJANGO_SETTINGS_MODULE="linli.settings", LINLI_VAR_DIR=str(tmp_path))
    run = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]
    result = subprocess.run(run, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    served = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert "SECRET_KEY must be set" in served.stderr
