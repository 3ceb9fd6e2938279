"""到家查 readings: a health kiosk per community, and for every resident aged 60 or more (persona
`vitals_resident`) `READINGS_PER_RESIDENT` readings over the last 90 days from their community's kiosk
(blood pressure most often, then heart rate, glucose, temperature, an ECG now and then)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from health.models import VitalReading
from linli.devices.models import Device

NAME = "vitals"
ORDER = 60
BATCH = 5_000
READINGS_PER_RESIDENT = 30
TYPES = ["blood_pressure", "blood_pressure", "heart_rate", "glucose", "blood_pressure", "temperature", "ecg"]


def _reading(user, kind: str, measured_at, device, rng) -> VitalReading:
    high = rng.random() < 0.15
    fields = {"interpretation": "H" if high else "N"}
    if kind == "blood_pressure":
        fields |= {"systolic": rng.randrange(145, 170) if high else rng.randrange(105, 138), "diastolic": 80}
    elif kind == "glucose":
        fields |= {"value": Decimal("7.9") if high else Decimal("5.4"), "glucose_context": "fasting"}
    elif kind == "temperature":
        fields |= {"value": Decimal("36.6")}
    elif kind == "ecg":
        fields |= {"value": Decimal(74), "ecg_rhythm": "sinus", "ecg_summary": "窦性心律，正常心电图"}
    else:
        fields |= {"value": Decimal(rng.randrange(58, 96))}
    return VitalReading(resident=user, type=kind, measured_at=measured_at, device=device, **fields)


def generate(ctx) -> dict:
    rng = random.Random(60)
    communities, residents = ctx.shared["communities"], ctx.shared["residents"]
    kiosks = Device.objects.bulk_create(
        [
            Device(
                kind=Device.Kind.HEALTH_KIOSK,
                code=f"bench-kiosk-{c.pk}",
                name=f"{c.name}健康自助机",
                community=c,
                location=f"{c.name}卫生服务站",
                status=Device.Status.ONLINE,
            )
            for c in communities
        ]
    )
    now = timezone.now()
    today = date.today()
    elders = [(i, u) for i, u in enumerate(residents) if u.age_on(today) >= 60]
    readings = [
        _reading(
            user,
            TYPES[k % len(TYPES)],
            now - timedelta(days=90 * k / READINGS_PER_RESIDENT, minutes=rng.randrange(600)),
            kiosks[i % len(communities)],
            rng,
        )
        for i, user in elders
        for k in range(READINGS_PER_RESIDENT)
    ]
    VitalReading.objects.bulk_create(readings, batch_size=BATCH)
    tokens = ctx.fixtures["tokens"]["resident"]  # minted by platform.py in the order of `residents`
    ctx.fixtures["tokens"]["vitals_resident"] = [tokens[i] for i, _ in elders]
    return {"vitals": len(readings), "kiosks": len(kiosks)}
