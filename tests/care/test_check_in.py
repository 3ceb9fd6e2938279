"""The check-in rule: within the configured distance of the elder's estate gate, or the elder's door code."""

import pytest

from care import checkin
from care.models import CareOrder
from tests.care import factories as cf

NEAR = {"latitude": "28.955800", "longitude": "118.868900"}  # ~70 m from the gate
FAR = {"latitude": "28.965310", "longitude": "118.868420"}  # ~1.1 km north


@pytest.fixture
def order(elder, bathing, manager, worker):
    return cf.make_order(elder, bathing, upto="dispatched", manager=manager, worker=worker)


def check_in(client, order, body):
    return client.post(f"/api/v1/staff/care/assignments/{order.pk}/check-in/", body, format="json")


def test_a_worker_near_the_gate_checks_in(as_user, order, worker):
    response = check_in(as_user(worker), order, NEAR)

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["check_in_method"]) == ("in_service", "position")


def test_a_worker_far_from_the_home_is_refused_with_the_distance(as_user, order, worker):
    response = check_in(as_user(worker), order, FAR)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "check_in_too_far"
    assert body["max_distance_m"] == 300
    assert 1000 < body["distance_m"] < 1200
    order.refresh_from_db()
    assert order.status == CareOrder.Status.DISPATCHED


def test_the_distance_is_configurable(as_user, order, worker, settings):
    settings.CARE_CHECK_IN_RADIUS_M = 50

    response = check_in(as_user(worker), order, NEAR)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["max_distance_m"]) == ("check_in_too_far", 50)


def test_the_door_code_of_the_elders_home_checks_in_from_anywhere(as_user, order, worker):
    response = check_in(as_user(worker), order, {"door_code": checkin.door_code(order.room_id)})

    assert response.status_code == 200
    assert (response.json()["check_in_method"], response.json()["check_in_distance_m"]) == ("door_code", None)


@pytest.mark.parametrize(
    "code",
    [
        "linli-door:1:forged",
        "not a door code",
        "linli-door:",
    ],
)
def test_a_forged_door_code_is_refused(as_user, order, worker, code):
    response = check_in(as_user(worker), order, {"door_code": code})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_door_code"


def test_another_rooms_door_code_is_refused(as_user, order, worker, community):
    other_room = cf.make_room(community)

    response = check_in(as_user(worker), order, {"door_code": checkin.door_code(other_room)})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_door_code"


def test_an_estate_without_a_position_takes_only_the_door_code(as_user, community, provider, manager, worker):
    room = cf.make_room(community, estate_name="老小区", gate=None)
    elder = cf.make_elder(community, room=room)
    service = cf.make_service(provider, community)
    order = cf.make_order(elder, service, upto="dispatched", manager=manager, worker=worker)
    client = as_user(worker)

    refused = check_in(client, order, NEAR)
    accepted = check_in(client, order, {"door_code": checkin.door_code(room)})

    assert (refused.status_code, refused.json()["code"]) == (400, "check_in_position_unknown")
    assert accepted.status_code == 200


def test_without_position_or_code_it_asks_for_one(as_user, order, worker):
    response = check_in(as_user(worker), order, {})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_checking_in_twice_is_a_conflict(as_user, order, worker):
    client = as_user(worker)
    assert check_in(client, order, NEAR).status_code == 200

    again = check_in(client, order, NEAR)

    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_a_colleague_not_assigned_cannot_check_in(as_user, order, provider):
    colleague = cf.make_member(provider)

    assert check_in(as_user(colleague), order, NEAR).status_code == 404
