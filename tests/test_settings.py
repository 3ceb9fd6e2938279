"""Production settings, checked in a fresh interpreter as a deployment would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "prod-test-9c1d7e4a5b2f8e3d6a0c4b7e1f5a9d2c8b6e3f0a7d4c1b8e5f2a9d6c3b0e7f4a1",
    "ALLOWED_HOSTS": "linli.example.cn",
}


def run_manage(*args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(env_overrides, LINLI_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", env_overrides={"DEBUG": "0"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_production_passes_the_deploy_check(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_boolean_fails_loudly(tmp_path):
    result = run_manage("check", env_overrides={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def _celery_log_levels(env_overrides, tmp_path) -> str:
    code = "import logging; print(*(logging.getLogger(n).getEffectiveLevel() for n in ('celery', 'celery.app.trace')))"
    result = run_manage("shell", "-c", code, env_overrides=env_overrides, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()  # after the shell's "N objects imported" line


def test_eager_tasks_log_only_warnings_from_celery(tmp_path):
    assert _celery_log_levels({"DEBUG": "1", "CELERY_TASK_ALWAYS_EAGER": "1"}, tmp_path) == ["30", "30"]


def test_a_real_worker_keeps_celery_info_logs(tmp_path):
    levels = _celery_log_levels(
        {"DEBUG": "1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2", "CELERY_TASK_ALWAYS_EAGER": "0"}, tmp_path
    )
    assert levels == ["20", "20"]
