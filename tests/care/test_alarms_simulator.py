"""The demo's way to press an SOS button: `manage.py device_simulator … event sos` against a running
server, signed with the device's stored secret (docs/demo.md)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from care.models import Alarm
from tests.care.factories_alarms import make_community_staff, make_sos_button

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_simulator_presses_a_bound_button_twice_into_one_alarm(live_server, community, monkeypatch):
    monkeypatch.delenv("DEVICE_SECRET", raising=False)  # the simulator reads the stored secret, as on the server
    make_community_staff(community)
    binding, _ = make_sos_button(community)
    answers = []

    for _ in range(2):
        out = StringIO()
        call_command(
            "device_simulator",
            "--base-url",
            live_server.url,
            "--device",
            binding.device.code,
            "event",
            "sos",
            stdout=out,
        )
        answers.append(json.loads(out.getvalue())["status"])

    assert answers == ["accepted", "accepted"]
    alarm = Alarm.objects.get()
    assert (alarm.elder, alarm.press_count) == (binding.elder, 2)
