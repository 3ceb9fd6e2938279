"""Vehicles: households register them (plate normalised, unique among a community's active vehicles),
staff confirm; a paid monthly permit makes the plate a permit holder at the gate."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from linli.payments import services as payments
from property.models import Bill, FeeItem, Vehicle, VehicleHistory, normalise_plate
from property.selectors.vehicles import permit_holder
from property.services import bills as bill_services
from tests.property import factories as pf

pytestmark = pytest.mark.django_db
URL = "/api/v1/property/vehicles/"


def test_a_household_registers_a_vehicle_with_a_normalised_plate(as_user, room, owner):
    response = as_user(owner).post(
        URL, {"room": room.pk, "plate": "浙h·5k 502", "description": "白色轿车"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["plate"], response.json()["status"]) == ("浙H5K502", "pending")
    assert VehicleHistory.objects.get().action == "register"


@pytest.mark.parametrize("plate", ["12345", "浙", "AB12345", "浙H1234567890", "浙H12O45"])
def test_it_refuses_malformed_plates(as_user, room, owner, plate):
    response = as_user(owner).post(URL, {"room": room.pk, "plate": plate}, format="json")

    assert response.status_code == 400 and "plate" in response.json()["fields"]


def test_a_plate_is_registered_once_among_the_communitys_active_vehicles(as_user, estate, room, owner):
    neighbour_room = pf.make_room(estate)
    neighbour = pf.make_household(neighbour_room)
    first = pf.make_vehicle(room, owner, plate="浙H12345")

    taken = as_user(neighbour).post(URL, {"room": neighbour_room.pk, "plate": "浙h 12345"}, format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "plate_taken"

    as_user(owner).post(f"{URL}{first.pk}/remove/")
    again = as_user(neighbour).post(URL, {"room": neighbour_room.pk, "plate": "浙H12345"}, format="json")
    assert again.status_code == 201


def test_the_same_plate_may_be_registered_in_another_community(as_user, room, owner, other_estate):
    pf.make_vehicle(room, owner, plate="浙H12345")
    other_room = pf.make_room(other_estate)

    response = as_user(pf.make_household(other_room)).post(
        URL, {"room": other_room.pk, "plate": "浙H12345"}, format="json"
    )

    assert response.status_code == 201


def test_it_refuses_a_room_that_is_not_my_household(as_user, estate, owner):
    response = as_user(owner).post(URL, {"room": pf.make_room(estate).pk, "plate": "浙H12345"}, format="json")

    assert response.status_code == 404


def test_staff_confirm_a_registered_vehicle(as_user, room, owner, manager):
    vehicle = pf.make_vehicle(room, owner, confirm=False)

    response = as_user(manager).post(f"/api/v1/staff/property/vehicles/{vehicle.pk}/confirm/")

    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    again = as_user(manager).post(f"/api/v1/staff/property/vehicles/{vehicle.pk}/confirm/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_a_paid_permit_makes_the_plate_a_permit_holder_for_its_month(as_user, estate, room, owner, community):
    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    vehicle = pf.make_vehicle(room, owner, plate="浙H12345")
    client = as_user(owner)

    permit = client.post(f"{URL}{vehicle.pk}/permits/", {"period": "2026-11"}, format="json").json()
    assert (permit["status"], permit["amount_fen"]) == ("pending", 15000)
    assert permit_holder(community.pk, "浙H12345", date(2026, 11, 15)) is None  # not paid yet

    intent = bill_services.bills_pay(user=owner, bill_ids=[permit["bill"]])
    payments.payment_sandbox_complete(intent=intent)

    noon = datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert permit_holder(community.pk, "浙h 12345", noon).pk == permit["id"]
    assert permit_holder(community.pk, "浙H12345", date(2026, 12, 1)) is None
    assert permit_holder(community.pk + 1000, "浙H12345", date(2026, 11, 15)) is None


def test_asking_for_the_same_month_twice_gives_the_same_permit(as_user, estate, room, owner):
    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    vehicle = pf.make_vehicle(room, owner)
    client = as_user(owner)

    first = client.post(f"{URL}{vehicle.pk}/permits/", {"period": "2026-11"}, format="json").json()
    second = client.post(f"{URL}{vehicle.pk}/permits/", {"period": "2026-11"}, format="json").json()

    assert first["id"] == second["id"] and Bill.objects.count() == 1


def test_an_unconfirmed_vehicle_gets_no_permit(as_user, estate, room, owner):
    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    vehicle = pf.make_vehicle(room, owner, confirm=False)

    response = as_user(owner).post(f"{URL}{vehicle.pk}/permits/", {"period": "2026-11"}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "vehicle_not_confirmed"


def test_a_removed_vehicle_or_a_refunded_permit_no_longer_holds(estate, room, owner, manager, community):
    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    from property.services.vehicles import permit_request, vehicle_remove

    day = date(2026, 11, 15)
    for plate, end in (("浙H11111", "remove"), ("浙H22222", "refund")):
        vehicle = pf.make_vehicle(room, owner, plate=plate)
        permit = permit_request(vehicle=vehicle, period=day)
        bill_services.bills_record_offline(bills=[permit.bill], actor=manager, method="cash", payer_name="x")
        assert permit_holder(community.pk, plate, day) is not None
        if end == "remove":
            vehicle_remove(vehicle=vehicle, actor=manager, reason="车辆已出售")
        else:
            bill_services.bill_refund(bill=permit.bill, actor=manager, amount_fen=15000, reason="退租")
        assert permit_holder(community.pk, plate, day) is None, end


def test_a_plate_is_normalised_the_same_way_everywhere():
    assert normalise_plate(" 浙h-12 345 ") == "浙H12345"
    assert Vehicle._meta.get_field("plate").max_length >= 8
