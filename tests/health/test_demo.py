from io import StringIO

import pytest
from django.core.management import call_command

from health.models import Department, Drug, HealthProfile, Slot, VitalReading
from linli.accounts.models import User
from linli.devices.models import Device

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Device.objects.filter(code__startswith="baiyun-boai").values_list("code", "kind", "community__code")),
        list(Department.objects.values_list("clinic__name", "name")),
        list(Drug.objects.values_list("name", "coverage", "price_fen")),
        Slot.objects.count(),
        VitalReading.objects.count(),
    )


def test_it_seeds_the_boai_station_once(as_user):
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first

    kinds = {kind for _, kind, community in first[0] if community == "baiyun"}
    assert kinds == {"health_kiosk", "drug_vending"}
    assert {"阿莫西林胶囊", "布洛芬缓释胶囊", "硝苯地平控释片", "二甲双胍片", "复方甘草片"} <= {
        name for name, _, _ in first[2]
    }
    assert {coverage for _, coverage, _ in first[2]} == {"A", "B", "C"}

    doctor = User.objects.get(username="doctor_li")
    assert doctor.check_password("demo12345")
    demo = User.objects.get(wechat_openid="dev-demo")
    assert HealthProfile.objects.get(user=demo).family_doctor == doctor

    days = {r.measured_at.date() for r in VitalReading.objects.filter(resident=demo)}
    assert len(days) == 7
    slots = as_user(demo).get("/api/v1/health/slots/", {"available": True}).json()
    assert slots["count"] > 0
    assert as_user(demo).get("/api/v1/health/vitals/trends/").status_code == 200
    assert as_user(doctor).get("/api/v1/staff/health/consultations/").status_code == 200


def test_the_drug_machine_has_one_dispense_waiting_and_a_stale_one_is_replaced(as_user):
    from datetime import timedelta

    from django.utils import timezone

    from health.models import Dispense
    from linli.devices.models import DeviceCommand
    from linli.payments.models import SandboxInsuranceAccount

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    [command] = DeviceCommand.objects.filter(device__code="baiyun-boai-drug")
    assert (command.kind, command.status) == ("dispense", "pending")
    demo = User.objects.get(wechat_openid="dev-demo")
    balance = SandboxInsuranceAccount.objects.get(user=demo).balance_fen

    DeviceCommand.objects.filter(pk=command.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("seed_demo", stdout=StringIO())

    stale, fresh = DeviceCommand.objects.filter(device__code="baiyun-boai-drug").order_by("pk")
    assert (stale.status, fresh.status) == ("expired", "pending")
    assert Dispense.objects.get(command=stale).status == "failed"  # refunded to the personal account
    assert SandboxInsuranceAccount.objects.get(user=demo).balance_fen == balance
    prescriptions = as_user(demo).get("/api/v1/health/prescriptions/").json()
    assert prescriptions["count"] >= 1
