"""Quality-gate registrations for the device API (see tests/quality/registry.py)."""

from dataclasses import dataclass

from linli.devices.models import Device
from linli.devices.services import device_command_create
from tests.devices.factories import SignedClient, make_device
from tests.support.personas import Persona


@dataclass
class DevicePersona(Persona):
    """A device of the community; its client signs every request (no user, no bearer token)."""

    device: Device | None = None
    secret: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {}

    def client(self) -> SignedClient:
        return SignedClient(self.device.code, self.secret)


def device(community) -> DevicePersona:
    made, secret = make_device(community)
    return DevicePersona("device", None, community, device=made, secret=secret)


def make_commands(persona, n):
    for i in range(n):
        device_command_create(device=persona.device, kind="test.noop", payload={"n": i})


PERSONAS = {"device": device}
LIST_DATA = {"/api/v1/devices/commands/": ("device", make_commands)}


def make_staff_devices(persona, n):
    for _ in range(n):
        made, _secret = make_device(persona.community)
        device_command_create(device=made, kind="test.noop")


def one_staff_device(persona):
    made, _secret = make_device(persona.community)
    return {"id": made.pk}


LIST_DATA["/api/v1/staff/devices/"] = ("staff", make_staff_devices)
# 1 token user, 1 my roles (the staff role check and my communities), 1 the device with its community,
# pending commands and open outage annotated
DETAIL_BUDGETS = {"/api/v1/staff/devices/{id}/": ("staff", one_staff_device, 3)}
