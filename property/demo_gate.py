"""Demo data for visitors and the gate (called from property/demo.py): the south gate of 春江月小区 with a
turnstile (`cjy-gate-south`) and a plate camera (`cjy-plate-south`), both with secrets so
`device_simulator` can play them, and a visitor pass 张大爷 (dev-demo, 3幢2单元 502室) issued for his
daughter with the code `demo-visitor-502` and her car 浙H8V502. Idempotent; a run after the pass has
ended (expired, used up or revoked) gives it a fresh window, so the documented commands keep working.
"""

from datetime import timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.devices.models import Device
from linli.devices.services import device_create
from linli.regions.models import Estate, Room
from property.models import GateDevice, GateEntry, VisitorPass
from property.services import gate as services

GATE_CODE = "cjy-gate-south"
CAMERA_CODE = "cjy-plate-south"
PASS_CODE = "demo-visitor-502"
VISITOR_PLATE = "浙H8V502"


def _device(estate: Estate, code: str, kind: str, name: str) -> Device:
    device = Device.objects.filter(code=code).first()
    if device is None:
        # Its secret is stored encrypted; `device_simulator` without --secret reads it from this database.
        device, _secret = device_create(
            kind=kind, code=code, name=name, community=estate.community, location=f"{estate.name} 南门"
        )
    GateDevice.objects.get_or_create(device=device, defaults={"estate": estate})
    return device


def seed(log, *, estate: Estate, demo: User, demo_room: Room) -> None:
    _device(estate, GATE_CODE, Device.Kind.GATE, "春江月小区南门人行闸机")
    _device(estate, CAMERA_CODE, Device.Kind.PLATE_CAMERA, "春江月小区南门车牌识别")

    now = timezone.now()
    visitor_pass = VisitorPass.objects.filter(code=PASS_CODE).first()
    if visitor_pass is None:
        visitor_pass = services.visitor_pass_create(
            host=demo,
            room=demo_room,
            visitor_name="张小华",
            visitor_phone="13905700502",
            plate=VISITOR_PLATE,
            valid_from=now,
            valid_until=now + timedelta(days=7),
            entries=10,
        )
        VisitorPass.objects.filter(pk=visitor_pass.pk).update(code=PASS_CODE)  # a code the docs can name
    elif visitor_pass.state_at(now) != VisitorPass.State.ACTIVE:
        VisitorPass.objects.filter(pk=visitor_pass.pk).update(
            valid_from=now, valid_until=now + timedelta(days=7), entries_used=0, revoked_at=None
        )

    if not GateEntry.objects.filter(estate=estate, method=GateEntry.Method.WALK_IN).exists():
        manager = User.objects.get(username="property_baiyun")
        services.walk_in_register(
            staff=manager, estate=estate, visitor_name="顺丰快递员", room=demo_room, note="送件上门"
        )
    log(f"property: {estate.name} 门禁 {GATE_CODE}、车牌识别 {CAMERA_CODE}，张大爷的访客通行码 {PASS_CODE}")
