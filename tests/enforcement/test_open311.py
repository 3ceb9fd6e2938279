"""Open311 GeoReport v2 round trips, in JSON and XML, and its error format."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enforcement.models import Open311Client, ProblemReport
from enforcement.services import reports as report_services
from enforcement.services.open311 import open311_client_issue
from tests.enforcement.factories import make_report

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
KEY = "test-open311-key"


@pytest.fixture
def client_app(world):
    app, _ = open311_client_issue(name="随手拍 App", raw_key=KEY)
    return app


@pytest.fixture
def api():
    return APIClient()  # no token: Open311 is keyed by api_key only


def xml(response):
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    return ElementTree.fromstring(response.content)


def test_services_list_the_public_categories_in_json_and_xml(world, api):
    services = api.get(f"{BASE}/services.json")
    assert services.status_code == 200 and services["Content-Type"].startswith("application/json")
    by_code = {s["service_code"]: s for s in services.json()}
    assert by_code["illegal_fishing"] == {
        "service_code": "illegal_fishing",
        "service_name": "违规捕捞",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "禁渔期违法捕捞,农业农村",
        "group": "农业农村",
    }
    root = xml(api.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert set(codes) == set(by_code)
    assert root.find("service/metadata").text == "true"


def test_a_request_posted_form_encoded_is_routed_and_read_back(world, api, client_app):
    posted = api.post(
        f"{BASE}/requests.json",
        {
            "api_key": KEY,
            "service_code": "illegal_fishing",
            "lat": "30.018100",
            "long": "120.701200",
            "address_string": "陶堰街道白塔村鉴湖岸边",
            "description": "有人用电瓶电鱼",
            "media_url": "https://img.example.com/x.jpg",
            "first_name": "明",
            "last_name": "李",
            "phone": "13900001111",
            "account_id": "acc-7",
        },
        format="multipart",
    )
    assert posted.status_code == 201, posted.content
    [created] = posted.json()
    assert created["account_id"] == "acc-7" and created["service_notice"] == ""
    report = ProblemReport.objects.get(pk=int(created["service_request_id"]))
    assert (report.channel, report.team, report.open311_client) == ("open311", world.taoyan_team, client_app)
    assert (report.contact_name, report.contact_phone) == ("李明", "13900001111")

    # Read back as the public sees it: the place rough, the private description and media left out
    # (tests/security/test_report_privacy.py has the whole rule).
    [one] = api.get(f"{BASE}/requests/{report.pk}.json").json()
    assert one["service_request_id"] == str(report.pk)
    assert (one["status"], one["service_code"], one["lat"], one["long"]) == (
        "open",
        "illegal_fishing",
        30.018,
        120.701,
    )
    assert one["agency_responsible"] == "陶堰综合执法队" and one["media_url"] == ""
    assert one["address"] == "陶堰街道" and one["expected_datetime"] is not None
    assert one["description"] == "" and "13900001111" not in str(one)

    # The loop closes it; the public sees the feedback, never the officers' internal note.
    officer = world.officer_taoyan
    report_services.report_accept(report=report, actor=officer)
    report_services.report_handle(report=report, actor=officer)
    report_services.report_outcome(report=report, actor=officer, outcome="persuaded", note="内部：系惯犯")
    report_services.report_feedback(report=report, actor=officer, feedback="已收缴电鱼器具。")
    root = xml(api.get(f"{BASE}/requests/{report.pk}.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "劝导：已收缴电鱼器具。"
    assert "惯犯" not in api.get(f"{BASE}/requests/{report.pk}.xml").content.decode()


def test_a_request_posted_as_json_works_too_and_mentions_a_nearby_one(world, api, client_app, reporter):
    make_report(category=world.fishing_cat, reporter=reporter, lat="30.018100", lng="120.701200")
    posted = api.post(
        f"{BASE}/requests.json",
        {"api_key": KEY, "service_code": "illegal_fishing", "lat": "30.018150", "long": "120.701200"},
        format="json",
    )
    assert posted.status_code == 201
    assert "附近已有相同问题" in posted.json()[0]["service_notice"]


def test_posting_in_xml_answers_in_xml(world, api, client_app):
    posted = api.post(
        f"{BASE}/requests.xml", {"api_key": KEY, "service_code": "food_safety", "address_string": "府山横街"}
    )
    assert posted.status_code == 201
    root = xml(posted)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text.isdigit()


def test_the_list_filters_by_status_service_and_dates(world, api, reporter):
    fishing = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    food = make_report(category=world.food_cat, street=world.taoyan, reporter=reporter)
    old = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    ProblemReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    ProblemReport.objects.filter(pk=food.pk).update(status=ProblemReport.Status.CLOSED)

    def ids(**params):
        response = api.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {int(r["service_request_id"]) for r in response.json()}

    assert ids() == {fishing.pk, food.pk}  # the last 90 days
    assert ids(status="open") == {fishing.pk}
    assert ids(status="closed") == {food.pk}
    assert ids(service_code="food_safety") == {food.pk}
    start = (timezone.now() - timedelta(days=200)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(start_date=start, end_date=end) == {old.pk}
    assert ids(service_request_id=f"{old.pk},{fishing.pk}") == {old.pk, fishing.pk}
    root = xml(api.get(f"{BASE}/requests.xml", {"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [str(fishing.pk)]


def test_errors_are_the_specs_list_in_json_and_xml(world, api, client_app):
    bad_key = api.post(
        f"{BASE}/requests.json", {"api_key": "nope", "service_code": "illegal_fishing", "address_string": "x"}
    )
    assert bad_key.status_code == 403
    assert bad_key.json() == [{"code": 403, "description": "api_key 缺失、无效或已停用"}]

    missing = api.post(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "illegal_fishing"})
    assert missing.status_code == 400
    assert missing.json()[0]["code"] == 400 and missing.json()[0]["description"].startswith("lat:")

    unknown = api.post(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "nothing", "address_string": "x"})
    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404

    root = xml(api.get(f"{BASE}/requests/999999.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert api.get(f"{BASE}/requests.json", {"status": "pending"}).json()[0]["code"] == 400
    assert api.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400


def test_a_disabled_client_app_cannot_post(world, api, client_app):
    Open311Client.objects.filter(pk=client_app.pk).update(is_active=False)
    body = {"api_key": KEY, "service_code": "illegal_fishing", "address_string": "x"}
    assert api.post(f"{BASE}/requests.json", body).status_code == 403


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("get", "/requests/abc.json", {}),
        ("get", "/nothing.json", {}),
        ("get", "/requests.html", {}),
        ("delete", "/requests.json", {}),
        ("put", "/requests.xml", {}),
        ("post", "/requests.json", {"data": b"\xff\xfe<<", "content_type": "application/json"}),
        ("post", "/requests.json", {"data": "<x/>", "content_type": "application/xml"}),
        ("post", "/requests.xml", {"data": {"api_key": "x" * 500}}),
        (
            "post",
            "/requests.json",
            {"data": {"api_key": KEY, "service_code": "illegal_fishing", "lat": "999", "long": "1"}},
        ),
        ("get", "/requests.json", {"data": {"service_request_id": "1,,2"}}),
        ("get", "/requests.json", {"data": {"end_date": "2025-13-45"}}),
    ],
)
def test_nothing_under_open311_is_a_500_or_html(world, api, client_app, method, path, kwargs):
    response = getattr(api, method)(f"{BASE}{path}", **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert not response["Content-Type"].startswith("text/html")
    assert b"<html" not in response.content.lower()


def test_the_admin_issues_a_key_once_and_keeps_only_its_hash(client, db):
    from django.contrib.messages import get_messages

    from enforcement.models.open311 import hash_key
    from tests import factories

    client.force_login(factories.make_user(username="root", is_staff=True, is_superuser=True))
    response = client.post("/admin/enforcement/open311client/add/", {"name": "城市随手拍", "is_active": "on"})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "api_key" in str(m)]
    raw_key = message.rsplit("：", 1)[-1]
    app = Open311Client.objects.get(name="城市随手拍")
    assert app.key_hash == hash_key(raw_key) and raw_key not in app.key_hash
    assert raw_key.startswith(app.key_prefix)
