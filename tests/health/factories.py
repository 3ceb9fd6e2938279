"""Factories for the health tests: plain functions, sensible defaults, keyword overrides."""

import itertools
from datetime import time, timedelta

from django.utils import timezone

from health.models import Clinic, Consultation, Department, Drug, HealthProfile, Slot
from linli.accounts.models import Role
from linli.devices.models import Device
from linli.devices.services import device_create
from tests import factories
from tests.devices.factories import client_for_device

_seq = itertools.count(1)


def make_clinic(community=None, **kw) -> Clinic:
    n = next(_seq)
    return Clinic.objects.create(**{"name": f"测试诊所{n}", "community": community, **kw})


def make_department(clinic: Clinic | None = None, **kw) -> Department:
    n = next(_seq)
    return Department.objects.create(clinic=clinic or make_clinic(), **{"name": f"全科{n}", **kw})


def make_doctor(scope, **kw):
    """A doctor serving `scope` (a Department or a whole Clinic)."""
    user = factories.make_user(is_staff=True, **{"display_name": "李医生", **kw})
    factories.grant(user, Role.DOCTOR, scope=scope)
    return user


def make_drug(**kw) -> Drug:
    n = next(_seq)
    defaults = {"name": f"测试药{n}", "specification": "10mg×30片", "coverage": Drug.Coverage.A, "price_fen": 1000}
    return Drug.objects.create(**{**defaults, **kw})


def make_kiosk(community=None, **kw) -> Device:
    """A registered kiosk; its secret (shown once in real life) is kept on `device.secret` for signing."""
    n = next(_seq)
    defaults = {"kind": Device.Kind.HEALTH_KIOSK, "code": f"kiosk-{n}", "name": f"健康自助机{n}"}
    device, secret = device_create(community=community, **{**defaults, **kw})
    device.secret = secret
    return device


def make_slot(department: Department | None = None, *, days_ahead: int = 1, at: time = time(9), **kw) -> Slot:
    day = timezone.localdate() + timedelta(days=days_ahead)
    end = time(at.hour, 30) if at.minute == 0 else time(at.hour + 1, 0)
    defaults = {"date": day, "start_time": at, "end_time": end, "capacity": 5}
    return Slot.objects.create(department=department or make_department(), **{**defaults, **kw})


def make_consultation(resident, department: Department | None = None, *, doctor=None, **kw) -> Consultation:
    status = Consultation.Status.IN_PROGRESS if doctor else Consultation.Status.WAITING
    defaults = {"symptoms": "头痛两天", "status": status, "accepted_at": timezone.now() if doctor else None}
    return Consultation.objects.create(
        resident=resident, department=department or make_department(), doctor=doctor, **{**defaults, **kw}
    )


def sign_family_doctor(resident, doctor) -> HealthProfile:
    profile, _ = HealthProfile.objects.update_or_create(user=resident, defaults={"family_doctor": doctor})
    return profile


def post_event(device: Device, event_type: str, payload: dict, *, event_id: str | None = None):
    """The device posts a signed event to /api/v1/devices/events/ (as its firmware would)."""
    body = {
        "event_id": event_id or f"evt-{next(_seq)}",
        "type": event_type,
        "occurred_at": timezone.now().isoformat(),
        "payload": payload,
    }
    return client_for_device(device, device.secret).post("/api/v1/devices/events/", body, format="json")


def make_reading(resident, type: str = "heart_rate", *, hours_ago: float = 1, device=None, **kw):
    from decimal import Decimal

    from health.models import VitalReading

    defaults = {"interpretation": "N"}
    if type == "blood_pressure":
        defaults |= {"systolic": 125, "diastolic": 80}
    elif type == "glucose":
        defaults |= {"value": Decimal("5.6"), "glucose_context": "fasting"}
    elif type == "temperature":
        defaults |= {"value": Decimal("36.5")}
    elif type == "ecg":
        defaults |= {"value": Decimal(72), "ecg_rhythm": "sinus", "ecg_summary": "正常心电图"}
    else:
        defaults |= {"value": Decimal(72)}
    return VitalReading.objects.create(
        resident=resident,
        type=type,
        device=device,
        measured_at=timezone.now() - timedelta(hours=hours_ago),
        **{**defaults, **kw},
    )


def measure(client, kiosk, **values) -> None:
    """A resident scans the kiosk and it posts one measurement event."""
    from health.models import KioskSession

    response = client.post("/api/v1/health/kiosk-sessions/", {"device": kiosk.code})
    assert response.status_code == 201, response.content
    token = KioskSession.objects.get(pk=response.json()["id"]).token
    response = post_event(kiosk, "kiosk.measurement", {"session_token": token, **values})
    assert response.status_code in (200, 201), response.content


def make_drug_machine(community=None, *, online: bool = True, **kw) -> Device:
    """A registered drug vending machine (its secret on `device.secret`), online after a heartbeat."""
    from linli.devices.services import device_heartbeat

    n = next(_seq)
    defaults = {"kind": Device.Kind.DRUG_VENDING, "code": f"drug-{n}", "name": f"自助售药机{n}"}
    device, secret = device_create(community=community, **{**defaults, **kw})
    if online:
        device = device_heartbeat(device=device)
    device.secret = secret
    return device


def make_prescription(resident, lines=None, *, doctor=None, valid_for=timedelta(days=3), **kw):
    """An issued prescription; `lines`: [(drug, quantity)], default one covered and one self-paid drug."""
    from health.models import Prescription, PrescriptionItem

    if lines is None:
        lines = [
            (make_drug(coverage=Drug.Coverage.A, price_fen=1250), 2),
            (make_drug(coverage=Drug.Coverage.C, price_fen=650), 1),
        ]
    department = make_department()
    doctor = doctor or make_doctor(department)
    consultation = make_consultation(resident, department, doctor=doctor)
    covered = sum(d.price_fen * q for d, q in lines if d.coverage in (Drug.Coverage.A, Drug.Coverage.B))
    prescription = Prescription.objects.create(
        consultation=consultation,
        resident=resident,
        doctor=doctor,
        diagnosis="急性上呼吸道感染",
        valid_until=timezone.now() + valid_for,
        total_fen=sum(d.price_fen * q for d, q in lines),
        covered_fen=covered,
        **kw,
    )
    for drug, quantity in lines:
        PrescriptionItem.objects.create(
            prescription=prescription,
            drug=drug,
            quantity=quantity,
            dosage="口服 一次1粒 一日3次",
            unit_price_fen=drug.price_fen,
            coverage=drug.coverage,
        )
    return prescription


def ack(device: Device, command_id: int, status: str = "done"):
    """The machine acknowledges a command through the signed device API."""
    return client_for_device(device, device.secret).post(
        f"/api/v1/devices/commands/{command_id}/ack/", {"status": status, "result": {}}, format="json"
    )
