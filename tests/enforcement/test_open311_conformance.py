"""Open311 GeoReport v2 conformance, raw: Service Discovery, service definitions, the api_key rule."""

from xml.etree import ElementTree

import pytest
from rest_framework.test import APIClient

from enforcement.models import ProblemReport
from enforcement.services.open311 import open311_client_issue

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
KEY = "test-open311-key"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_app(world):
    return open311_client_issue(name="随手拍 App", raw_key=KEY)[0]


def xml(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


def test_discovery_says_where_the_endpoint_is_in_json_and_xml(db, api):
    document = api.get(f"{BASE}/discovery.json").json()
    assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"] and endpoint["type"] in ("production", "test")

    root = xml(api.get("/open311/discovery.xml"))  # also one level up, where discovery usually lives
    assert root.tag == "discovery" and root.findtext("key_service") == document["key_service"]
    node = root.find("endpoints/endpoint")
    assert node.findtext("url") == endpoint["url"]
    assert [f.text for f in node.findall("formats/format")] == endpoint["formats"]


def test_every_listed_service_has_a_definition_in_json_and_xml(world, api):
    services = api.get(f"{BASE}/services.json").json()
    assert services and all(service["metadata"] is True for service in services)
    for service in services:
        definition = api.get(f"{BASE}/services/{service['service_code']}.json")
        assert definition.status_code == 200, service
        assert definition.json()["service_code"] == service["service_code"]

    definition = api.get(f"{BASE}/services/illegal_fishing.json").json()
    by_code = {a["code"]: a for a in definition["attributes"]}
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3]
    assert by_code["matter"]["variable"] is False and "NY-001" in by_code["matter"]["description"]
    assert by_code["is_public"]["datatype"] == "singlevaluelist" and by_code["is_public"]["required"] is False
    assert [v["key"] for v in by_code["is_public"]["values"]] == ["false", "true"]
    assert "taoyan" in [v["key"] for v in by_code["street"]["values"]]

    root = xml(api.get(f"{BASE}/services/illegal_fishing.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "illegal_fishing"
    attribute = root.findall("attributes/attribute")[1]
    assert (attribute.findtext("code"), attribute.findtext("variable")) == ("is_public", "true")
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["false", "true"]

    for path in ("services/hazardous_chemicals.json", "services/nothing.xml"):  # not public / unknown
        missing = api.get(f"{BASE}/{path}")
        assert missing.status_code == 404 and b"<html" not in missing.content.lower()


def test_a_missing_or_wrong_key_is_403_whatever_else_is_wrong(world, api, client_app):
    for body in ({}, {"service_code": "illegal_fishing"}, {"api_key": "nope"}, {"api_key": ""}):
        refused = api.post(f"{BASE}/requests.json", body)
        assert refused.status_code == 403, body
        assert refused.json() == [{"code": 403, "description": "api_key 缺失、无效或已停用"}]
    root = ElementTree.fromstring(api.post(f"{BASE}/requests.xml", {"service_code": "x"}).content)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert api.post(f"{BASE}/requests.json", [1, 2], format="json").status_code == 403
    # Some clients put the key in the query string.
    keyed = api.post(f"{BASE}/requests.json?api_key={KEY}", {"service_code": "illegal_fishing", "address_string": "x"})
    assert keyed.status_code == 201, keyed.content


def test_the_definitions_answers_are_taken_and_wrong_ones_refused(world, api, client_app):
    posted = api.post(
        f"{BASE}/requests.json",
        {
            "api_key": KEY,
            "service_code": "illegal_fishing",
            "address_string": "白塔村鉴湖岸边",
            "attribute[is_public]": "true",
            "attribute[street]": "taoyan",
        },
    )
    assert posted.status_code == 201, posted.content
    report = ProblemReport.objects.get(pk=posted.json()[0]["service_request_id"])
    assert (report.is_public, report.street.code, report.team) == (True, "taoyan", world.taoyan_team)

    as_json = api.post(
        f"{BASE}/requests.json",
        {"api_key": KEY, "service_code": "food_safety", "address_string": "x", "attribute": {"is_public": "false"}},
        format="json",
    )
    assert as_json.status_code == 201, as_json.content

    body = {"api_key": KEY, "service_code": "food_safety", "address_string": "x"}
    for answer in ({"attribute[is_public]": "maybe"}, {"attribute[street]": "atlantis"}, {"attribute[colour]": "red"}):
        wrong = api.post(f"{BASE}/requests.json", body | answer)
        assert wrong.status_code == 400, answer
        assert wrong.json()[0]["description"].startswith("attribute[")


def test_tokens_are_not_issued_so_every_token_is_404(db, api):
    response = api.get(f"{BASE}/tokens/abc123.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "本接口提交后直接返回 service_request_id，不签发 token"}]
