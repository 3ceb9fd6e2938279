"""`device_simulator … post PATH` signs a POST to a device endpoint an app adds (a gate's verify) and
refuses anything outside /api/v1/devices/ before sending."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.devices.factories import make_device

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_posts_a_signed_body_to_a_device_endpoint(live_server, capsys, community):
    device, secret = make_device(community)

    call_command(
        "device_simulator",
        "--base-url",
        live_server.url,
        "--device",
        device.code,
        "--secret",
        secret,
        "post",
        "/api/v1/devices/heartbeat/",
        '{"battery_pct": 80}',
    )

    assert json.loads(capsys.readouterr().out)["status"] == "online"


def test_it_refuses_a_path_outside_the_device_api(community):
    device, secret = make_device(community)

    with pytest.raises((CommandError, SystemExit)):
        call_command("device_simulator", "--device", device.code, "--secret", secret, "post", "/api/v1/me/")
