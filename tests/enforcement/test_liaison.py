"""Village liaison stations: liaison officers file reports for their village and follow them; any
other station's report is 404, and officers' or residents' tokens do not open these endpoints."""

import pytest
from django.contrib.contenttypes.models import ContentType

from enforcement.models import LiaisonStation, ProblemReport
from linli.accounts.models import Role
from linli.notifications.models import Notification
from tests import factories
from tests.enforcement.factories import JUST_IN_GAOBU, make_wetland

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/enforcement/liaison-reports/"


def _liaison(station, username):
    user = factories.make_user(username=username)
    factories.grant(
        user, Role.LIAISON_OFFICER, scope_type=ContentType.objects.get_for_model(LiaisonStation), scope_id=station.pk
    )
    return user


@pytest.fixture
def stations(world):
    wetland = make_wetland(world)
    nanhu = LiaisonStation.objects.create(
        name="南湖村联络站", code="nanhu", street=wetland.gaobu, lat=JUST_IN_GAOBU[0], lng=JUST_IN_GAOBU[1]
    )
    hengdan = LiaisonStation.objects.create(name="横旦村联络站", code="hengdan", street=world.taoyan)
    return wetland, nanhu, hengdan, _liaison(nanhu, "liaison_nanhu"), _liaison(hengdan, "liaison_hengdan")


def test_a_liaison_officer_files_for_the_village_and_follows_it(world, stations, as_user):
    wetland, nanhu, _, chen, _ = stations
    body = {"station": nanhu.pk, "category": "illegal_fishing", "description": "南湖村湖边有人下地笼"}
    filed = as_user(chen).post(URL, body, format="json")
    assert filed.status_code == 201, filed.content
    report = filed.json()
    # no point given: the station's place, inside 皋埠's wetland → 皋埠's squad
    assert (report["channel"], report["station"]["id"], report["team"]["id"]) == (
        "liaison",
        nanhu.pk,
        wetland.gaobu_squad.pk,
    )
    noted = as_user(chen).post(f"{URL}{report['id']}/notes/", {"note": "渔网已被收走一张"}, format="json")
    assert noted.status_code == 201
    assert noted.json()["history"][-1]["note"] == "联络员：渔网已被收走一张"
    assert Notification.objects.filter(recipient=wetland.shen, title="联络员补充情况").exists()
    assert [r["id"] for r in as_user(chen).get(URL).json()["results"]] == [report["id"]]
    assert ProblemReport.objects.get(pk=report["id"]).reporter == chen


def test_other_stations_reports_are_not_found(world, stations, as_user):
    _, nanhu, hengdan, chen, wang = stations
    body = {"station": nanhu.pk, "category": "illegal_fishing", "description": "湖边有人电鱼"}
    report_id = as_user(chen).post(URL, body, format="json").json()["id"]
    other = as_user(wang)
    assert other.get(URL).json()["count"] == 0
    assert other.get(f"{URL}{report_id}/").status_code == 404
    assert other.post(f"{URL}{report_id}/notes/", {"note": "x"}, format="json").status_code == 404
    filed_elsewhere = other.post(URL, {**body, "station": nanhu.pk}, format="json")
    assert filed_elsewhere.status_code == 404
    assert other.get(f"/api/v1/staff/enforcement/stations/{nanhu.pk}/").status_code == 404
    assert other.get(f"/api/v1/staff/enforcement/stations/{hengdan.pk}/").status_code == 200
    # officers and residents are not liaison officers; liaison officers are not enforcement staff
    assert as_user(world.officer_taoyan).get(URL).status_code == 403
    assert as_user(factories.make_resident()).get(URL).status_code == 403
    assert other.get("/api/v1/staff/enforcement/reports/").status_code == 403
