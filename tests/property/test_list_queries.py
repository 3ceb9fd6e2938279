"""Every property list issues the same, named number of SQL queries with 5 rows as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from property.models import Bill, FeeItem
from property.services import bills as services
from property.services import vehicles as vehicle_services
from property.services.fees import bill_run_item
from tests.property import factories as pf

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content[:300]
    return len(captured), len(response.json()["results"]), [q["sql"] for q in captured.captured_queries]


def assert_flat(client, url, grow, expected: int):
    grow(5)
    client.get(url)  # warm the content-type cache
    for total in (5, 50):
        if total == 50:
            grow(45)
        queries, shown, sql = count_queries(client, url)
        assert shown == total
        assert queries == expected, "\n".join(sql)


def test_my_bills(as_user, room, owner):
    # 1 token user, 1 count, 1 page (room → building → estate, item, vehicle, receipt joined)
    assert_flat(as_user(owner), "/api/v1/property/bills/", lambda n: pf.make_bills(room, n=n), 3)


def test_my_receipts(as_user, room, owner):
    def grow(n):
        for _ in range(n):
            services.bills_record_offline(bills=pf.make_bills(room, n=2), actor=None, method="cash", payer_name="x")

    # 1 token user, 1 count, 1 page (community, payer, staff joined), 1 their bills with places
    assert_flat(as_user(owner), "/api/v1/property/receipts/", grow, 4)


def test_staff_bills(as_user, estate, manager):
    grow_bills = {"done": 0}

    def grow_exact(n):
        # One item per call bills every room of the estate: keep the rows at exactly n more.
        rooms = [pf.make_room(estate, building="9幢", unit=f"{grow_bills['done'] + i}单元") for i in range(n)]
        item = pf.make_fee_item(estate, name=f"费{grow_bills['done']}", kind=FeeItem.Kind.OTHER, rate_fen=100)
        bill_run_item(item=item, period=pf.PERIOD)
        Bill.objects.filter(item=item).exclude(room__in=rooms).delete()
        grow_bills["done"] += n

    # 1 token user, 1 my roles, 1 count, 1 page
    assert_flat(as_user(manager), "/api/v1/staff/property/bills/", grow_exact, 4)


def test_staff_vehicles_with_permits(as_user, estate, room, owner, manager):
    pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)

    def grow(n):
        for _ in range(n):
            vehicle = pf.make_vehicle(room, owner)
            vehicle_services.permit_request(vehicle=vehicle, period=pf.PERIOD)

    # 1 token user, 1 my roles, 1 count, 1 page (room places, registrant joined), 1 the permits with bills
    assert_flat(as_user(manager), "/api/v1/staff/property/vehicles/", grow, 5)
