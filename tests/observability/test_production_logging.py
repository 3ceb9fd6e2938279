"""Production logging and observability settings, in a fresh interpreter as a deployment starts."""

import json

from tests.test_settings import PRODUCTION, run_manage

PHONE = "13912345678"
# Logs a line with personal data and a secret through the configured handlers (Django's LOGGING).
CODE = f"import logging; logging.getLogger('linli.demo').warning('call %s secret=%s', '{PHONE}', 'wx-secret-value-1')"


def test_production_writes_scrubbed_json_lines(tmp_path):
    result = run_manage("shell", "-c", CODE, env_overrides=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines() if '"linli.demo"' in text]
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"
    assert line["message"] == "call 139****5678 secret=[redacted]"
    assert PHONE not in result.stderr and "wx-secret-value-1" not in result.stderr


def test_a_developer_gets_plain_lines(tmp_path):
    result = run_manage("shell", "-c", CODE, env_overrides={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WARNING linli.demo [-] call 139****5678 secret=[redacted]" in result.stderr


def test_a_trusted_proxy_that_is_not_an_address_fails_loudly(tmp_path):
    result = run_manage("check", env_overrides={**PRODUCTION, "TRUSTED_PROXIES": "lb.internal"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'lb.internal' is not an IP address or network" in result.stderr
