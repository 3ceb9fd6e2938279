"""Request ids: from a trusted proxy's X-Request-ID or generated, returned, and on the log lines of the
request and of the tasks it enqueued."""

import logging

import pytest

from linli.observability.context import current_request_id
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db
MINE = "/api/v1/residents/work-orders/"
PROXY = "10.0.3.7"  # the load balancer
MANAGER_PHONE = "13911112222"


@pytest.fixture
def trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.3.0/24", "fd00::/8"]


@pytest.fixture
def request_lines():
    # LOG_REQUESTS=1: the app's own line per request.
    request_logger = logging.getLogger("linli.request")
    previous = request_logger.level
    request_logger.setLevel(logging.INFO)
    yield
    request_logger.setLevel(previous)


@pytest.fixture
def repair(community, settings):
    """A resident who can file a repair, and a property manager who hears of it by SMS."""
    settings.NOTIFICATION_KINDS = {"work_order": {"channels": ["sms"]}}
    owner, room = rf.make_verified_resident(community, phone="13800001111")
    rf.make_property_manager(community, username="property_here", phone=MANAGER_PHONE)
    body = {"kind": "repair", "category": rf.make_category().pk, "description": "水管漏水", "room": room.pk}
    return owner, body


# Committed for real, so the tasks are enqueued (and run, eagerly) on commit inside the request, as in
# production; the test database's outer transaction would defer them until after the request.
@pytest.mark.django_db(transaction=True)
def test_the_proxys_id_is_returned_and_on_the_lines_of_the_request_and_of_its_task(
    as_user, repair, trusted_proxy, request_lines, log_lines
):
    owner, body = repair
    response = as_user(owner).post(MINE, body, HTTP_X_REQUEST_ID="lb-7f3a9c0e", REMOTE_ADDR=PROXY)
    assert response.status_code == 201, response.json()
    assert response["X-Request-ID"] == "lb-7f3a9c0e"

    lines = log_lines.read()
    sms = [line for line in lines if line["logger"] == "linli.notifications.sms"]
    request = [line for line in lines if line["logger"] == "linli.request"]
    assert sms and all(line["request_id"] == "lb-7f3a9c0e" for line in sms)  # logged by the send task
    assert request == [
        {**request[0], "request_id": "lb-7f3a9c0e", "view": "work-order-list", "method": "POST", "status": 201}
    ]
    assert MANAGER_PHONE not in log_lines.text()
    assert current_request_id() == ""  # nothing left behind for the thread's next request


def test_it_generates_an_id_when_the_client_sends_none(api):
    first, second = api.get("/healthz")["X-Request-ID"], api.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_it_ignores_the_id_of_a_client_that_is_not_a_trusted_proxy(api, trusted_proxy):
    response = api.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-client", REMOTE_ADDR="203.0.113.9")
    assert response["X-Request-ID"] != "chosen-by-client"
    assert len(response["X-Request-ID"]) == 32


def test_without_trusted_proxies_no_one_sets_the_id(api):
    response = api.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-client", REMOTE_ADDR="127.0.0.1")
    assert response["X-Request-ID"] != "chosen-by-client"


@pytest.mark.parametrize(
    "incoming",
    ["x" * 129, "has space", 'quote"d', "new\nline", "", "-leading-dash", "日志"],
)
def test_it_replaces_an_id_that_does_not_look_like_one_even_from_a_trusted_proxy(api, trusted_proxy, incoming):
    response = api.get("/healthz", HTTP_X_REQUEST_ID=incoming, REMOTE_ADDR=PROXY)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_it_trusts_proxies_by_network_in_ipv6_too(api, trusted_proxy):
    response = api.get("/healthz", HTTP_X_REQUEST_ID="ab12-cd34", REMOTE_ADDR="fd00::17")
    assert response["X-Request-ID"] == "ab12-cd34"


def test_a_404_is_logged_under_the_requests_id(api, log_lines):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    line = next(line for line in log_lines.read() if line["logger"] == "django.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING"
