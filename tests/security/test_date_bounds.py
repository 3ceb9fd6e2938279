"""Finding 5 of the security review: `0001-01-01` (or `9999-12-31`) in a date or date-time field, body or query
parameter, was a 500: Python parses those years, but time zone arithmetic, `+ 1 day` and the database do not
take them. Every date and date-time now goes through linli.api.fields / linli.api.filters, bounded to
1900-01-01 … 2100-12-31, and anything outside is a 400 on the field (tests/quality/test_date_bounds.py keeps
every serializer and filter on them)."""

import pytest
from django.utils import timezone

from tests.devices.factories import client_for_device, make_device
from tests.enforcement.factories import make_world
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "日期须在 1900 至 2100 年之间"
YEAR_ONE = ["0001-01-01T00:00:00", "0001-01-01"]


@pytest.mark.parametrize("moment", YEAR_ONE)
def test_open311_refuses_a_start_date_in_year_one_without_login(api, moment):
    response = api.get("/open311/v2/requests.json", {"start_date": moment})

    assert response.status_code == 400, response.content
    assert response.json() == [{"code": 400, "description": f"start_date: {OUT_OF_RANGE}"}]


@pytest.mark.parametrize("params", [{"to": "9999-12-31"}, {"from": "0001-01-01", "to": "0001-01-01"}])
def test_enforcement_stats_refuse_a_period_the_day_after_which_overflows(as_user, params):
    dispatcher = make_world().dispatcher

    response = as_user(dispatcher).get("/api/v1/staff/enforcement/stats/", params)

    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {name: [OUT_OF_RANGE] for name in params}


@pytest.mark.parametrize("moment", YEAR_ONE)
def test_a_work_order_refuses_a_preferred_time_in_year_one(as_user, community, moment):
    owner, room = rf.make_verified_resident(community)
    body = {
        "kind": "repair",
        "category": rf.make_category().pk,
        "description": "卫生间水管漏水",
        "room": room.pk,
        "preferred_time": moment,
    }

    response = as_user(owner).post("/api/v1/residents/work-orders/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"preferred_time": [OUT_OF_RANGE]}


def _event(**over) -> dict:
    return {"event_id": "evt-1", "type": "kiosk.measurement", "occurred_at": timezone.now().isoformat(), **over}


def test_a_device_event_refuses_a_measured_at_in_year_one(community):
    device, secret = make_device(community)
    payload = {"session_token": "t" * 32, "measured_at": "0001-01-01T00:00:00", "temperature_c": "36.5"}

    response = client_for_device(device, secret).post("/api/v1/devices/events/", _event(payload=payload), format="json")

    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"payload.measured_at": [OUT_OF_RANGE]}


def test_a_device_event_refuses_an_occurred_at_in_year_one(community):
    device, secret = make_device(community)
    body = _event(occurred_at="0001-01-01T00:00:00", payload={"session_token": "t" * 32, "temperature_c": "36.5"})

    response = client_for_device(device, secret).post("/api/v1/devices/events/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"occurred_at": [OUT_OF_RANGE]}
