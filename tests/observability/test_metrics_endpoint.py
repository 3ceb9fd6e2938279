"""GET /metrics: the counters move with API calls, and only the monitoring server may read them."""

import pytest
from django.test import override_settings

from linli.devices.models import Device
from linli.observability import metrics
from residents.models import WorkOrder
from tests.observability.conftest import TOKEN, scrape
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db
MINE = "/api/v1/residents/work-orders/"


def test_a_scrape_after_api_calls_finds_requests_per_view_a_task_success_and_business_counters(
    api, as_user, community, metrics_token, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_KINDS = {"work_order": {"channels": ["sms"]}}  # the manager hears of it by SMS
    owner, room = rf.make_verified_resident(community, phone="13800001111")
    rf.make_property_manager(community, username="property_here", phone="13911112222")
    category = rf.make_category()
    before = scrape(api)

    client = as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            MINE, {"kind": "repair", "category": category.pk, "description": "水管漏水", "room": room.pk}
        )
    assert response.status_code == 201, response.json()
    assert client.get(MINE).status_code == 200
    assert client.get(f"{MINE}{response.json()['id']}/").status_code == 200
    assert client.get(f"{MINE}999999/").status_code == 404

    after = scrape(api)

    def moved(name, **labels):
        return after.value(name, **labels) - before.value(name, **labels)

    # Per view (the URL's name, not the path: both details count under one label).
    view = "work-order-list"
    detail = "work-order-detail"
    assert moved("linli_http_request_duration_seconds_count", view=view, method="POST") == 1
    assert moved("linli_http_request_duration_seconds_count", view=view, method="GET") == 1
    assert moved("linli_http_request_duration_seconds_count", view=detail, method="GET") == 2
    assert moved("linli_http_responses_total", view=view, status="201") == 1
    assert moved("linli_http_responses_total", view=detail, status="404") == 1
    assert moved("linli_db_queries_total", view=view) > 0
    # The work order's notification: the dispatch and send tasks ran (eagerly, on commit) and succeeded.
    assert moved("linli_celery_tasks_total", task="linli.notifications.tasks.dispatch", outcome="succeeded") == 1
    assert moved("linli_celery_tasks_total", task="linli.notifications.tasks.send", outcome="succeeded") == 1
    assert moved("linli_notification_deliveries_total", channel="sms", outcome="sent") == 1
    assert moved("linli_work_orders_total", event="opened", kind=WorkOrder.Kind.REPAIR) == 1
    # The scrape itself is a request like any other.
    assert moved("linli_http_request_duration_seconds_count", view="metrics", method="GET") == 1


def test_a_closed_work_order_counts_as_closed(community, django_capture_on_commit_callbacks):
    owner, room = rf.make_verified_resident(community)
    name, labels = "linli_work_orders_total", {"event": "closed", "kind": "repair"}
    before = metrics.REGISTRY.get_sample_value(name, labels) or 0
    with django_capture_on_commit_callbacks(execute=True):
        rf.make_work_order(owner, room=room, upto="closed", handler=rf.make_property_manager(community))
    assert metrics.REGISTRY.get_sample_value(name, labels) == before + 1


def test_it_answers_404_without_the_token_or_with_a_wrong_one(api, metrics_token):
    assert api.get("/metrics").status_code == 404
    assert api.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 404
    assert api.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 404
    response = api.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"linli_http_request_duration_seconds" in response.content


@override_settings(DEBUG=False, METRICS_TOKEN="")
def test_production_without_a_token_has_no_metrics_endpoint(api):
    assert api.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert api.get("/metrics").status_code == 404


def test_unknown_methods_and_unmatched_paths_share_fixed_labels(api, metrics_token):
    before = scrape(api)
    api.generic("FROB", "/api/v1/residents/work-orders/")
    api.get("/api/v1/no-such-thing/12345/")
    api.get("/api/v1/no-such-thing/67890/")
    after = scrape(api)
    labels = {"view": "work-order-list", "method": "other"}
    assert (
        after.value("linli_http_request_duration_seconds_count", **labels)
        - before.value("linli_http_request_duration_seconds_count", **labels)
        == 1
    )
    unmatched = {"view": "unmatched", "method": "GET"}
    assert (
        after.value("linli_http_request_duration_seconds_count", **unmatched)
        - before.value("linli_http_request_duration_seconds_count", **unmatched)
        == 2
    )
    assert not any("12345" in str(key) for key in after)


def test_devices_online_and_offline_are_read_at_scrape_time(api, metrics_token):
    Device.objects.create(kind=Device.Kind.HEALTH_KIOSK, code="kiosk-1", name="自助机1", status=Device.Status.ONLINE)
    Device.objects.create(kind=Device.Kind.HEALTH_KIOSK, code="kiosk-2", name="自助机2", status=Device.Status.ONLINE)
    Device.objects.create(kind=Device.Kind.RICE_MILL, code="mill-1", name="碾米机", status=Device.Status.OFFLINE)
    samples = scrape(api)
    assert samples.value("linli_devices", status="online") == 2
    assert samples.value("linli_devices", status="offline") == 1
    assert samples.value("linli_devices", status="disabled") == 0
    Device.objects.filter(code="kiosk-2").update(status=Device.Status.OFFLINE)
    assert scrape(api).value("linli_devices", status="offline") == 2
