"""Routing by polygon: the township containing the point, then its squad for the matter and place;
outside every polygon the dispatcher decides."""

from decimal import Decimal

import pytest

from enforcement import geo
from enforcement.models import Boundary, ProblemReport
from enforcement.services.geography import boundary_save
from linli.notifications.models import Notification
from tests.enforcement.factories import (
    FUSHAN_SEAT,
    JUST_IN_GAOBU,
    JUST_IN_TAOYAN,
    TAOYAN_SEAT,
    make_report,
    make_wetland,
    square,
)

pytestmark = pytest.mark.django_db

Status = ProblemReport.Status


def test_a_report_just_inside_gaobu_goes_to_its_squad_and_just_inside_taoyan_to_taoyans(world, reporter):
    wetland = make_wetland(world)
    gaobu = make_report(category=world.fishing_cat, reporter=reporter, lat=JUST_IN_GAOBU[0], lng=JUST_IN_GAOBU[1])
    assert (gaobu.street, gaobu.team, gaobu.status) == (wetland.gaobu, wetland.gaobu_squad, Status.DISPATCHED)
    taoyan = make_report(category=world.fishing_cat, reporter=reporter, lat=JUST_IN_TAOYAN[0], lng=JUST_IN_TAOYAN[1])
    assert (taoyan.street, taoyan.team) == (world.taoyan, wetland.taoyan_squad)
    assert "陶堰湿地中队" in taoyan.history.get(action="dispatch").note
    # 陶堰 away from the wetland: the township's general team (no area, every empowered matter)
    inland = make_report(category=world.fishing_cat, reporter=reporter, lat=TAOYAN_SEAT[0], lng=TAOYAN_SEAT[1])
    assert inland.team == world.taoyan_team
    # a matter 陶堰 is not empowered for goes to the district department wherever it is
    food = make_report(category=world.food_cat, reporter=reporter, lat=JUST_IN_TAOYAN[0], lng=JUST_IN_TAOYAN[1])
    assert food.team == world.market


def test_a_report_outside_every_polygon_waits_for_the_dispatcher(world, reporter):
    report = make_report(category=world.fishing_cat, reporter=reporter, lat=Decimal("30.3"), lng=Decimal("120.3"))
    assert (report.status, report.team, report.street) == (Status.REPORTED, None, None)
    notice = Notification.objects.get(recipient=world.dispatcher, kind="enforcement.dispatch")
    assert "不在任何乡镇" in notice.body


def test_the_polygon_wins_over_a_given_street_and_a_multipolygon_counts_in_every_part(world, reporter):
    far = (Decimal("30.200000"), Decimal("120.900000"))
    parts = [square(*FUSHAN_SEAT)["coordinates"], square(*far, half=0.01)["coordinates"]]
    boundary_save(
        kind=Boundary.Kind.TOWNSHIP, street=world.fushan, geometry={"type": "MultiPolygon", "coordinates": parts}
    )
    enclave = make_report(category=world.food_cat, reporter=reporter, lat=far[0], lng=far[1])
    assert enclave.street == world.fushan
    misnamed = make_report(
        category=world.fishing_cat, reporter=reporter, street=world.taoyan, lat=FUSHAN_SEAT[0], lng=FUSHAN_SEAT[1]
    )
    assert (misnamed.street, misnamed.team) == (world.fushan, world.agriculture)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [120.7, 30.0]}, "只接受"),
        ({"type": "Polygon", "coordinates": [[[120.7, 30.0], [120.8, 30.0], [120.8, 30.1], [120.7, 30.1]]]}, "未闭合"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[120.7, 30.0], [120.8, 30.1], [120.8, 30.0], [120.7, 30.1], [120.7, 30.0]]],
            },
            "无效",
        ),
        ({"type": "Polygon", "coordinates": [[[200, 30.0], [120.8, 30.0], [120.8, 30.1], [200, 30.0]]]}, "超出范围"),
        ({"type": "Polygon", "coordinates": [[["a", 30.0], [120.8, 30.0], [120.8, 30.1], ["a", 30.0]]]}, "数字"),
    ],
)
def test_it_refuses_geometries_that_are_not_clean_polygons(geometry, message):
    with pytest.raises(geo.GeometryError, match=message):
        geo.clean_geometry(geometry)


def test_staff_locate_a_point_and_residents_cannot(world, reporter, as_user):
    wetland = make_wetland(world)
    url = "/api/v1/staff/enforcement/boundaries/locate/"
    body = {"lat": str(JUST_IN_GAOBU[0]), "lng": str(JUST_IN_GAOBU[1]), "category": "illegal_fishing"}
    found = as_user(world.dispatcher).post(url, body, format="json")
    assert found.status_code == 200, found.content
    assert found.json()["township"]["id"] == wetland.gaobu.pk
    assert found.json()["team"]["id"] == wetland.gaobu_squad.pk
    outside = as_user(world.officer_taoyan).post(url, {"lat": "31.5", "lng": "121.0"}, format="json").json()
    assert outside == {"township": None, "village": None, "team": None}
    assert as_user(world.dispatcher).post(url, {"lat": "91", "lng": "120"}, format="json").status_code == 400
    assert as_user(reporter).post(url, body, format="json").status_code == 403
    listed = as_user(world.officer_taoyan).get("/api/v1/staff/enforcement/boundaries/?kind=squad").json()
    assert {b["team"]["id"] for b in listed["results"]} == {wetland.taoyan_squad.pk, wetland.gaobu_squad.pk}
