"""The console (物业服务): community staff see and export their community's bills only, run the month's
bills from a fee item, record cash payments and confirm vehicles — through the same services."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from property.models import Bill, Vehicle
from tests import factories
from tests.property import factories as pf

pytestmark = pytest.mark.django_db


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_communities(estate, room, other_estate):
    mine = pf.make_bills(room)[0]
    theirs = pf.make_bills(pf.make_room(other_estate))[0]
    return mine, theirs


def test_the_bill_export_has_chinese_headers_and_only_my_communitys_bills(staff, two_communities):
    mine, _ = two_communities

    response = console(staff).get("/admin/property/bill/export/csv/")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "小区", "房屋", "账单名称"]
    assert [int(r[0]) for r in rows[1:]] == [mine.pk]
    assert rows[1][8] == "待缴"


def test_another_communitys_bill_is_not_found_in_the_console(staff, two_communities):
    _, theirs = two_communities

    assert console(staff).get(f"/admin/property/bill/{theirs.pk}/change/").status_code == 302  # "not found" redirect
    assert theirs.room.building.estate.name not in console(staff).get("/admin/property/bill/").content.decode()


def test_staff_record_cash_for_selected_bills(staff, two_communities):
    mine, theirs = two_communities

    response = console(staff).post(
        "/admin/property/bill/", {"action": "record_cash", "_selected_action": [mine.pk, theirs.pk]}
    )

    assert response.status_code == 302
    assert Bill.objects.get(pk=mine.pk).status == "paid"
    assert Bill.objects.get(pk=theirs.pk).status == "unpaid"


def test_staff_run_this_months_bills_from_a_fee_item_and_a_second_run_adds_nothing(staff, estate, room):
    item = pf.make_fee_item(estate)
    client = console(staff)

    for _ in range(2):
        client.post("/admin/property/feeitem/", {"action": "run_this_month", "_selected_action": [item.pk]})

    assert Bill.objects.filter(item=item, period=timezone.localdate().replace(day=1)).count() == 1


def test_staff_confirm_vehicles_in_the_console(staff, room, owner):
    vehicle = pf.make_vehicle(room, owner, confirm=False)

    console(staff).post("/admin/property/vehicle/", {"action": "confirm_selected", "_selected_action": [vehicle.pk]})

    assert Vehicle.objects.get().status == "confirmed"


def test_other_communities_staff_cannot_see_the_vehicles(other_community, room, owner):
    pf.make_vehicle(room, owner, plate="浙H77777")
    other = factories.make_user(is_staff=True)
    factories.grant(other, "community_staff", community=other_community)

    assert "浙H77777" not in console(other).get("/admin/property/vehicle/").content.decode()
