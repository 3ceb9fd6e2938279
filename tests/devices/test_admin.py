"""The device console: secrets shown once and stored encrypted, scoped lists, read-only history."""

import re

import pytest

from linli.devices.crypto import decrypt_secret
from linli.devices.models import Device, DeviceCommand
from linli.devices.services import device_command_create
from tests import factories
from tests.devices.factories import SignedClient, make_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return factories.make_user(username="root", is_staff=True, is_superuser=True)


def shown_secret(response) -> str:
    [secret] = re.findall(r'<code class="device-secret">([^<]+)</code>', response.content.decode())
    return secret


def test_it_registers_a_device_and_shows_its_secret_once(client, superuser, community):
    client.force_login(superuser)

    response = client.post(
        "/admin/devices/device/add/",
        {
            "kind": "rice_mill",
            "code": "mill-doutan-01",
            "name": "斗潭碾米机",
            "community": community.pk,
            "config": "{}",
        },
    )

    assert response.status_code == 200, response.content[:2000]
    assert "no-store" in response["Cache-Control"]
    secret = shown_secret(response)
    device = Device.objects.get(code="mill-doutan-01")
    assert secret not in device.secret_encrypted  # stored encrypted, not in clear
    assert decrypt_secret(device.secret_encrypted) == secret
    assert device.secret_issued_at is not None
    # The secret works at once, and nothing shows it again.
    assert SignedClient(device.code, secret).post("/api/v1/devices/heartbeat/", {}, format="json").status_code == 200
    assert secret not in client.get(f"/admin/devices/device/{device.pk}/change/").content.decode()


def test_it_rotates_a_secret_from_the_admin(client, superuser, kiosk):
    device, old = kiosk
    client.force_login(superuser)

    response = client.post(
        "/admin/devices/device/", {"action": "rotate_secret", "_selected_action": [device.pk]}, follow=False
    )

    assert response.status_code == 200
    new = shown_secret(response)
    assert new != old
    device.refresh_from_db()
    assert decrypt_secret(device.secret_encrypted) == new


def test_it_disables_and_enables_devices_from_the_admin(client, superuser, kiosk):
    device, _ = kiosk
    client.force_login(superuser)

    client.post("/admin/devices/device/", {"action": "disable", "_selected_action": [device.pk]})
    device.refresh_from_db()
    assert device.status == Device.Status.DISABLED

    client.post("/admin/devices/device/", {"action": "enable", "_selected_action": [device.pk]})
    device.refresh_from_db()
    assert device.status == Device.Status.OFFLINE


def test_it_shows_staff_only_their_communitys_devices(client, staff, kiosk, other_community):
    make_device(other_community, name="白云的终端")
    client.force_login(staff)

    page = client.get("/admin/devices/device/").content.decode()

    assert kiosk[0].name in page
    assert "白云的终端" not in page


def test_it_filters_devices_by_status_kind_and_community(client, superuser, kiosk, community):
    client.force_login(superuser)

    for query in ("status__exact=offline", "kind__exact=health_kiosk", f"community__id__exact={community.pk}"):
        page = client.get(f"/admin/devices/device/?{query}")
        assert page.status_code == 200
        assert kiosk[0].name in page.content.decode()
    assert kiosk[0].name not in client.get("/admin/devices/device/?status__exact=online").content.decode()


def test_it_keeps_commands_and_events_read_only(client, superuser, kiosk):
    command = device_command_create(device=kiosk[0], kind="health.kiosk_session", payload={"n": 1})
    client.force_login(superuser)

    assert client.get("/admin/devices/devicecommand/").status_code == 200
    assert client.get("/admin/devices/deviceevent/").status_code == 200
    assert client.get("/admin/devices/deviceoutage/").status_code == 200
    assert client.get("/admin/devices/devicecommand/add/").status_code == 403
    client.post(f"/admin/devices/devicecommand/{command.pk}/change/", {"status": "done"})
    command.refresh_from_db()
    assert command.status == DeviceCommand.Status.PENDING


def test_it_lets_only_the_operator_register_devices(client, staff):
    client.force_login(staff)

    assert client.get("/admin/devices/device/add/").status_code == 403
