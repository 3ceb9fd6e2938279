"""seed_demo: the catalogue, teams, empowerment lists, accounts, the wetland devices, history, the Open311 key."""

from io import StringIO

import pytest
from django.core.management import call_command

from enforcement.models import Case, Category, Domain, Empowerment, Inspection, Open311Client, ProblemReport, Team
from linli.devices.models import Device

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Domain.objects.count(),
        list(Team.objects.values_list("code", "kind", "street__code")),
        list(Empowerment.objects.values_list("street__code", "matter__code", "since")),
        ProblemReport.objects.count(),
        Inspection.objects.count(),
        Case.objects.count(),
        list(Device.objects.filter(kind__in=["ai_camera", "iot_sensor"]).values_list("code", "street__code")),
        Open311Client.objects.count(),
    )


def test_it_seeds_the_district_and_a_second_run_changes_nothing(api):
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first

    assert Domain.objects.count() == 24
    townships = Team.objects.filter(kind="township_team").values_list("street__code", flat=True)
    assert set(townships) == {"fushan", "dongpu", "taoyan", "sunduan", "youhai", "fusheng", "gaobu"}
    lists = {
        code: set(Empowerment.objects.filter(street__code=code).values_list("matter__code", flat=True))
        for code in ("taoyan", "youhai", "fushan")
    }
    assert lists["taoyan"] >= {"NY-001", "SL-001"} and "ZR-001" in lists["youhai"] and "LY-001" in lists["fushan"]
    assert len({frozenset(v) for v in lists.values()}) == 3
    cameras = Device.objects.filter(kind="ai_camera", code="jianhu-cam-01", street__code="taoyan")
    sensors = Device.objects.filter(kind="iot_sensor", code="jianhu-water-01", street__code="gaobu")
    assert cameras.exists() and sensors.get().config["thresholds"]["cod_mg_l"] == 40
    assert Category.objects.filter(is_public=True).count() >= 10

    for username in ("officer_taoyan", "officer_market", "grid_taoyan"):
        login = api.post("/api/v1/auth/token/", {"username": username, "password": "demo12345"}, format="json")
        assert login.status_code == 200, username
    token = api.post("/api/v1/auth/token/", {"username": "officer_taoyan", "password": "demo12345"}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    seen = api.get("/api/v1/staff/enforcement/reports/").json()["results"]
    assert seen and {r["team"]["name"] for r in seen} == {"陶堰街道综合行政执法队"}
    stats = api.get("/api/v1/staff/enforcement/stats/").json()
    assert stats["reports"] > 0


def test_the_demo_open311_key_works(api):
    call_command("seed_demo", stdout=StringIO())
    body = {"api_key": "demo-open311-key", "service_code": "illegal_fishing", "lat": "30.05", "long": "120.6"}
    assert api.post("/open311/v2/requests.json", body).status_code == 201
