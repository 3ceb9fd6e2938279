from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.models import Role
from linli.devices.models import Device
from linli.devices.services import device_command_create, device_heartbeat, devices_mark_offline
from tests import factories
from tests.devices.factories import make_device
from tests.quality.query_budget import assert_num_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/devices/"


def test_it_lists_the_devices_of_the_staffs_communities(as_user, staff, community, other_community):
    mine, _ = make_device(community, kind=Device.Kind.RICE_MILL, name="斗潭碾米机")
    make_device(other_community, name="白云的终端")
    device_command_create(device=mine, kind="dispense")

    body = as_user(staff).get(URL).json()

    assert body["count"] == 1
    [row] = body["results"]
    assert row["code"] == mine.code
    assert row["community"] == {"id": community.pk, "name": "斗潭社区"}
    assert row["pending_commands"] == 1
    assert row["offline_since"] is None


def test_it_shows_since_when_a_device_is_offline(as_user, staff, community):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        device, _ = make_device(community)
        device_heartbeat(device=device)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        devices_mark_offline()

    row = as_user(staff).get(f"{URL}{device.pk}/").json()

    assert row["status"] == "offline"
    assert row["offline_since"] is not None


def test_it_hides_another_communitys_device(as_user, staff, other_community):
    theirs, _ = make_device(other_community)

    response = as_user(staff).get(f"{URL}{theirs.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_is_for_community_staff_only(as_user, resident):
    assert as_user(resident).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=online", {"beating"}),
        ("kind=rice_mill", {"mill"}),
        ("search=东门", {"mill"}),
        ("", {"beating", "mill"}),
    ],
)
def test_it_filters_devices(as_user, staff, community, query, expected):
    beating, _ = make_device(community, code="beating")
    device_heartbeat(device=beating)
    make_device(community, code="mill", kind=Device.Kind.RICE_MILL, location="东门广场")

    body = as_user(staff).get(f"{URL}?{query}").json()

    assert {row["code"] for row in body["results"]} == expected


def test_it_filters_by_one_of_the_staffs_communities(as_user, staff, community):
    other = factories.make_community()
    factories.grant(staff, Role.COMMUNITY_STAFF, community=other)
    make_device(community, code="here")
    make_device(other, code="over-there")

    body = as_user(staff).get(f"{URL}?community={other.pk}").json()

    assert [row["code"] for row in body["results"]] == ["over-there"]


def test_it_lists_in_a_fixed_number_of_queries(as_user, staff, community):
    client = as_user(staff)
    for _ in range(3):
        device_command_create(device=make_device(community)[0], kind="dispense")
    client.get(URL)
    # 1 token user, 1 my roles (the staff role check and my communities), 1 count, 1 devices with community,
    # pending commands and open outage annotated
    with assert_num_queries(4, label="GET staff devices"):
        assert client.get(URL).json()["count"] == 3
