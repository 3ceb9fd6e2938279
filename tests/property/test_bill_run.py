from datetime import date

import pytest
from django.core.management import call_command

from property.models import Bill, FeeItem, FeeRate, ParkingPermit
from property.services.fees import bill_run, bill_run_item
from tests.property import factories as pf

pytestmark = pytest.mark.django_db
NOV = date(2026, 11, 1)


def test_it_issues_one_bill_per_room_and_item_with_the_area_times_the_rate_rounded_to_the_fen(estate):
    a = pf.make_room(estate, area="89.37")  # 89.37 × 180 = 16086.6 → 16087
    b = pf.make_room(estate, area="100.00")
    fee = pf.make_fee_item(estate, rate_fen=180)
    garbage = pf.make_fee_item(estate, name="垃圾清运费", kind=FeeItem.Kind.OTHER, rate_fen=1500)

    result = bill_run(period=date(2026, 11, 17))

    assert result.created == 4 and result.existing == 0
    assert Bill.objects.get(room=a, item=fee).amount_fen == 16087
    assert Bill.objects.get(room=b, item=fee).amount_fen == 18000
    bill = Bill.objects.get(room=a, item=garbage)
    assert (bill.amount_fen, bill.period, bill.due_date, bill.title) == (
        1500,
        NOV,
        date(2026, 12, 1),
        "2026年11月垃圾清运费",
    )


def test_running_it_twice_creates_nothing_new(estate):
    rooms = [pf.make_room(estate) for _ in range(3)]
    pf.make_fee_item(estate)

    first = bill_run(period=NOV)
    second = bill_run(period=NOV)

    assert (first.created, second.created, second.existing) == (3, 0, 3)
    assert Bill.objects.filter(room__in=rooms).count() == 3


def test_the_management_command_runs_it_for_a_month(estate, capsys):
    pf.make_room(estate)
    pf.make_fee_item(estate)

    call_command("property_bill_run", "--period", "2026-11")
    call_command("property_bill_run", "--period", "2026-11", "--estate", str(estate.pk))

    out = capsys.readouterr().out
    assert "新出账 1 张" in out and "新出账 0 张，已存在 1 张" in out
    assert Bill.objects.filter(period=NOV).count() == 1


def test_rooms_without_a_floor_area_get_no_area_bill_and_are_reported(estate):
    pf.make_room(estate, number="101", area=None)
    item = pf.make_fee_item(estate)

    result = bill_run_item(item=item, period=NOV)

    assert result.created == 0 and "101室：未登记建筑面积" in result.skipped[0]


def test_it_uses_the_rate_in_effect_on_the_first_of_the_month(estate):
    room = pf.make_room(estate, area="100.00")
    item = pf.make_fee_item(estate, rate_fen=180, since=date(2026, 1, 1))
    FeeRate.objects.create(item=item, effective_from=date(2026, 11, 15), rate_fen=200)

    bill_run(period=date(2026, 11, 1))
    bill_run(period=date(2026, 12, 1))

    assert Bill.objects.get(room=room, period=date(2026, 11, 1)).amount_fen == 18000
    assert Bill.objects.get(room=room, period=date(2026, 12, 1)).amount_fen == 20000


def test_a_later_rate_change_leaves_issued_bills_alone(estate):
    room = pf.make_room(estate, area="100.00")
    item = pf.make_fee_item(estate, rate_fen=180)
    bill_run(period=NOV)

    FeeRate.objects.create(item=item, effective_from=date(2026, 1, 1).replace(month=2), rate_fen=250)
    bill_run(period=NOV)

    assert Bill.objects.get(room=room).amount_fen == 18000


def test_parking_is_billed_per_confirmed_vehicle_with_a_permit_for_the_month(estate, room, owner):
    parking = pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    confirmed = pf.make_vehicle(room, owner, plate="浙H12345")
    pf.make_vehicle(room, owner, plate="浙H54321", confirm=False)

    bill_run(period=NOV)
    bill_run(period=NOV)

    bill = Bill.objects.get(item=parking)
    assert (bill.vehicle, bill.amount_fen, bill.title) == (confirmed, 15000, "2026年11月停车费（浙H12345）")
    permit = ParkingPermit.objects.get()
    assert (permit.bill, permit.status, permit.valid_from, permit.valid_until) == (
        bill,
        ParkingPermit.Status.PENDING,
        NOV,
        date(2026, 11, 30),
    )


def test_an_item_without_a_rate_yet_is_skipped(estate):
    pf.make_room(estate)
    item = FeeItem.objects.create(estate=estate, name="电梯费", kind=FeeItem.Kind.OTHER, charging="fixed_month")

    result = bill_run_item(item=item, period=NOV)

    assert result.created == 0 and "没有生效的收费标准" in result.skipped[0]
