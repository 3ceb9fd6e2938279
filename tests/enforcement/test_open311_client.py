"""Open311 through a third-party GeoReport v2 client (the `georeport` package, 0.3.1) against a live
server: discovery's endpoint drives the client, every listed service's definition parses in JSON and
XML, requests read back, and our errors reach the client as the spec's list.

georeport 0.3.1 reads only (services, definitions, requests): it has no discovery call and no POST.
So discovery is fetched with `requests` (the client's own HTTP library) and its endpoint URL is what the
client is built from; the 403 for a missing or wrong api_key is a `requests` POST the way GeoReport
clients send it (form-encoded), and the same error list a client gets on a GET is checked through
georeport's own error path (HTTPError on a 404).
"""

import pytest
import requests
from georeport import GeoReport

from enforcement.services.open311 import open311_client_issue
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "client-test-key"


@pytest.fixture
def endpoint(live_server, world):
    open311_client_issue(name="第三方客户端", raw_key=KEY)
    discovery = requests.get(f"{live_server.url}/open311/discovery.json", timeout=10)
    assert discovery.status_code == 200
    [entry] = discovery.json()["endpoints"]
    assert entry["url"] == f"{live_server.url}/open311/v2"
    return entry["url"]


def test_the_client_reads_services_and_every_definition_in_json_and_xml(endpoint, world, reporter):
    as_json, as_xml = GeoReport(endpoint), GeoReport(endpoint, output_format="xml")
    services = as_json.get_service_list()
    codes = [service["service_code"] for service in services]
    assert "illegal_fishing" in codes and "hazardous_chemicals" not in codes
    assert [service["service_code"] for service in as_xml.get_service_list()] == codes
    for code in codes:
        definition = as_json.get_service_definition(code)
        assert definition["service_code"] == code
        assert [a["code"] for a in definition["attributes"]] == ["matter", "is_public", "street"]
    definition = as_xml.get_service_definition("illegal_fishing")  # parsed from <service_definition>
    attributes = definition["attributes"]["attribute"]
    assert [a["code"] for a in attributes] == ["matter", "is_public", "street"]
    assert [v["key"] for v in attributes[1]["values"]["value"]] == ["false", "true"]

    report = make_report(category=world.fishing_cat, reporter=reporter)
    assert as_json.get_service_request(str(report.pk))["service_code"] == "illegal_fishing"
    assert as_xml.get_service_requests(status="open")["service_request_id"] == str(report.pk)


def test_errors_reach_the_client_in_the_specs_format(endpoint):
    with pytest.raises(requests.HTTPError) as raised:
        GeoReport(endpoint).get_service_definition("no_such_service")
    assert raised.value.response.status_code == 404
    [error] = raised.value.response.json()
    assert set(error) == {"code", "description"} and error["code"] == 404

    form = {"service_code": "illegal_fishing", "address_string": "鉴湖岸边", "description": "电鱼"}
    for key in (None, "wrong-key"):
        body = form if key is None else form | {"api_key": key}
        refused = requests.post(f"{endpoint}/requests.json", data=body, timeout=10)
        assert refused.status_code == 403
        assert refused.json() == [{"code": 403, "description": "api_key 缺失、无效或已停用"}]
    created = requests.post(f"{endpoint}/requests.json", data=form | {"api_key": KEY}, timeout=10)
    assert created.status_code == 201
    assert GeoReport(endpoint).get_service_request(created.json()[0]["service_request_id"])["status"] == "open"
