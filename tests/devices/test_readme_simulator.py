"""The README's device simulator lines work exactly as written on a fresh demo: the drug vending
machine has one `dispense` command waiting (张大爷's paid prescription) and `ack next done` hands it out."""

import json
import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from health.models import Dispense

pytestmark = pytest.mark.django_db(transaction=True)

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_simulator_lines() -> list[list[str]]:
    """The arguments after `device_simulator` of each simulator line of the README, comments dropped."""
    lines = re.findall(r"^\.venv/bin/python manage\.py device_simulator (.+)$", README.read_text(), re.M)
    return [shlex.split(line, comments=True) for line in lines]


def test_the_readme_shows_heartbeat_commands_and_ack_next():
    assert [args[-2:] if args[-1] == "done" else args[-1:] for args in readme_simulator_lines()] == [
        ["heartbeat"],
        ["commands"],
        ["next", "done"],
    ]


def test_the_readme_simulator_lines_work_on_a_fresh_demo(live_server, capsys, monkeypatch):
    monkeypatch.delenv("DEVICE_SECRET", raising=False)  # the simulator reads the stored secret, as on the server
    call_command("seed_demo", stdout=StringIO())
    capsys.readouterr()
    heartbeat, commands, ack = readme_simulator_lines()

    call_command("device_simulator", "--base-url", live_server.url, *heartbeat)
    assert json.loads(capsys.readouterr().out)["status"] == "online"

    call_command("device_simulator", "--base-url", live_server.url, *commands)
    [waiting] = json.loads(capsys.readouterr().out)["results"]
    assert waiting["kind"] == "dispense"
    assert [item["name"] for item in waiting["payload"]["items"]] == ["苯磺酸氨氯地平片"]

    call_command("device_simulator", "--base-url", live_server.url, *ack)
    answer = json.loads(capsys.readouterr().out)
    assert (answer["id"], answer["status"]) == (waiting["id"], "done")
    dispense = Dispense.objects.get(command_id=waiting["id"])
    assert (dispense.status, dispense.prescription.status) == ("dispensed", "dispensed")
    assert dispense.resident.wechat_openid == "dev-demo"

    # The next seed (the next `python3 dev.py run`) puts a new prescription in the machine.
    call_command("seed_demo", stdout=StringIO())
    call_command("device_simulator", "--base-url", live_server.url, *commands)
    [again] = json.loads(capsys.readouterr().out)["results"]
    assert again["id"] != waiting["id"]
