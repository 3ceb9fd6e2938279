from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/vitals/"


def test_it_lists_my_readings_newest_first_filtered_by_type_and_time(as_user, resident):
    old = health.make_reading(resident, "blood_pressure", hours_ago=72)
    new = health.make_reading(resident, "blood_pressure", hours_ago=2)
    health.make_reading(resident, "heart_rate", hours_ago=1)
    client = as_user(resident)
    assert client.get(URL).json()["count"] == 3
    bp = client.get(URL, {"type": "blood_pressure"}).json()["results"]
    assert [r["id"] for r in bp] == [new.pk, old.pk]
    assert bp[0]["unit"] == "mmHg"
    since = (timezone.now() - timedelta(hours=24)).isoformat()
    recent = client.get(URL, {"type": "blood_pressure", "from": since}).json()["results"]
    assert [r["id"] for r in recent] == [new.pk]
    until = (timezone.now() - timedelta(hours=24)).isoformat()
    assert [r["id"] for r in client.get(URL, {"to": until}).json()["results"]] == [old.pk]


def test_it_rejects_a_malformed_time_filter(as_user, resident):
    assert as_user(resident).get(URL, {"from": "yesterday"}).status_code == 400


def test_it_summarises_trends_per_type(as_user, resident):
    health.make_reading(resident, "blood_pressure", hours_ago=50, systolic=150, diastolic=95, interpretation="H")
    latest_bp = health.make_reading(resident, "blood_pressure", hours_ago=2, systolic=130, diastolic=85)
    health.make_reading(resident, "glucose", hours_ago=30, value=Decimal("6.0"))
    health.make_reading(resident, "glucose", hours_ago=3, value=Decimal("7.0"), interpretation="H")
    trends = {t["type"]: t for t in as_user(resident).get(f"{URL}trends/").json()}
    assert set(trends) == {"blood_pressure", "glucose"}
    bp = trends["blood_pressure"]
    assert (bp["count"], bp["abnormal_count"]) == (2, 1)
    assert (bp["average_systolic"], bp["average_diastolic"]) == (140.0, 90.0)
    assert (bp["maximum_systolic"], bp["maximum_diastolic"]) == (150, 95)
    assert bp["latest"]["id"] == latest_bp.pk
    glucose = trends["glucose"]
    assert (glucose["average"], glucose["minimum"], glucose["maximum"]) == (6.5, 6.0, 7.0)
    assert glucose["unit"] == "mmol/L"
    only_bp = as_user(resident).get(f"{URL}trends/", {"type": "blood_pressure"}).json()
    assert [t["type"] for t in only_bp] == ["blood_pressure"]


def test_it_never_shows_another_residents_readings(as_user, resident, neighbour):
    health.make_reading(neighbour, "blood_pressure", systolic=187, diastolic=111, interpretation="H")
    client = as_user(resident)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}trends/").json() == []
    bundle = client.get("/api/v1/health/records/fhir/").json()
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert "187" not in str(bundle)
