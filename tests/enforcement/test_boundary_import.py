"""GeoJSON boundary import in the admin: a FeatureCollection, validated, all features or none."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enforcement import demo_geography as demo
from enforcement.models import Boundary
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/enforcement/boundary/import/"


def _file(data) -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile("boundaries.geojson", raw, content_type="application/geo+json")


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@pytest.fixture
def admin_client(client):
    client.force_login(factories.make_user(username="root", is_staff=True, is_superuser=True))
    return client


def test_admins_import_township_polygons_and_a_second_import_replaces_them(world, admin_client):
    assert admin_client.get(URL).status_code == 200
    before = Boundary.objects.count()  # the world's two squares
    good = _collection(_feature(demo.TAOYAN, street="taoyan"), _feature(demo.GAOBU, street="府山街道"))
    response = admin_client.post(URL, {"kind": "township", "file": _file(good)})
    assert response.status_code == 302
    assert Boundary.objects.count() == before
    taoyan = Boundary.objects.get(kind="township", street=world.taoyan)
    assert taoyan.geometry == demo.TAOYAN and (taoyan.min_lng, taoyan.max_lng) == (120.684, 120.778)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        ({"type": "Feature"}, "FeatureCollection"),
        (_collection(), "没有要素"),
        (_collection(_feature({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, street="taoyan")), "只接受"),
        (
            _collection(
                _feature(demo.TAOYAN, street="taoyan"),
                _feature({"type": "Polygon", "coordinates": [demo.GAOBU["coordinates"][0][:-1]]}, street="gaobu"),
            ),
            "第 2 个要素：第 1 个多边形第 1 个环：环未闭合",
        ),
        (_collection(_feature(demo.TAOYAN, street="nowhere")), "找不到对应的乡镇"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error_and_nothing_is_written(world, admin_client, content, message):
    before = list(Boundary.objects.values_list("pk", "geometry"))
    response = admin_client.post(URL, {"kind": "township", "file": _file(content)}, follow=True)
    assert response.status_code == 200
    assert any(message in str(m) for m in response.context["messages"]), [str(m) for m in response.context["messages"]]
    assert list(Boundary.objects.values_list("pk", "geometry")) == before


def test_the_console_pages_open_and_a_hand_drawn_polygon_is_checked(world, admin_client):
    for page in ("boundary", "liaisonstation", "shift", "dispatchoffer"):
        assert admin_client.get(f"/admin/enforcement/{page}/").status_code == 200, page
    for page in ("boundary", "liaisonstation", "shift"):
        assert admin_client.get(f"/admin/enforcement/{page}/add/").status_code == 200, page
    open_ring = {"type": "Polygon", "coordinates": [demo.GAOBU["coordinates"][0][:-1]]}
    form = {"kind": "village", "name": "南湖村", "street": world.taoyan.pk, "geometry": json.dumps(open_ring)}
    refused = admin_client.post("/admin/enforcement/boundary/add/", form)
    assert refused.status_code == 200 and "环未闭合" in refused.content.decode()
    saved = admin_client.post("/admin/enforcement/boundary/add/", {**form, "geometry": json.dumps(demo.NANHU)})
    assert saved.status_code == 302
    assert Boundary.objects.get(kind="village").max_lat == 30.005
