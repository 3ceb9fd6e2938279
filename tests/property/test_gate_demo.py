"""docs/demo.md's gate lines work as written on a fresh demo: the turnstile admits 张大爷's visitor,
refuses an unknown code, and the plate camera opens for his car and his daughter's but not a stranger's."""

import json
import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from property.models import GateEntry, PlateRead, VisitorPass

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(__file__).resolve().parents[2] / "docs" / "demo.md"


def gate_lines() -> list[list[str]]:
    pattern = r"^DEBUG=1 \.venv/bin/python manage\.py device_simulator (--device cjy-.+)$"
    return [shlex.split(line, comments=True) for line in re.findall(pattern, DEMO.read_text(), re.M)]


def test_the_documented_gate_commands_work_on_a_fresh_demo(live_server, capsys, monkeypatch):
    monkeypatch.delenv("DEVICE_SECRET", raising=False)  # the simulator reads the stored secret
    call_command("seed_demo", stdout=StringIO())
    capsys.readouterr()
    scan, unknown, own_car, visitor_car, commands, stranger = gate_lines()

    call_command("device_simulator", "--base-url", live_server.url, *scan)
    assert json.loads(capsys.readouterr().out)["result"] == "allowed"
    call_command("device_simulator", "--base-url", live_server.url, *scan)  # the same request_id again
    assert json.loads(capsys.readouterr().out)["replayed"] is True
    call_command("device_simulator", "--base-url", live_server.url, *unknown)
    assert json.loads(capsys.readouterr().out)["reason"] == "unknown"
    for line in (own_car, visitor_car, stranger):
        call_command("device_simulator", "--base-url", live_server.url, *line)
    call_command("device_simulator", "--base-url", live_server.url, *commands)
    capsys.readouterr()

    assert VisitorPass.objects.get(code="demo-visitor-502").entries_used == 2  # the scan and her car
    assert list(PlateRead.objects.order_by("id").values_list("reason", flat=True)) == [
        "permit",
        "visitor_pass",
        "no_match",
    ]
    assert GateEntry.objects.filter(method="walk_in").count() == 1

    call_command("seed_demo", stdout=StringIO())  # idempotent: nothing new
    assert GateEntry.objects.filter(method="walk_in").count() == 1
