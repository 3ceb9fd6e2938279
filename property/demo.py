"""Demo data: 白云社区 春江月小区 with 物业费 (1.8 元/㎡·月) and 停车费 (150 元/月), floor areas on its
rooms, three months of bills (earlier months mostly paid at the counter, some rooms overdue), and
张大爷 (dev-demo, 3幢2单元 502室) with last month's and this month's bills to pay and a confirmed
vehicle whose parking permit for this month is paid; the estate's gate and plate camera and a visitor
pass (property/demo_gate.py). Idempotent: a second run changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import User
from linli.regions.models import Estate, Room
from property import demo_gate
from property.models import Bill, FeeItem, FeeRate, Receipt, Vehicle
from property.services import bills as bill_services
from property.services import fees as fee_services
from property.services import vehicles as vehicle_services

ESTATE = "春江月小区"
RATES_FROM = date(2026, 1, 1)
DEMO_PLATE = "浙H5K502"
# Rooms whose bills of past months stay unpaid (overdue), besides 张大爷's last month.
OVERDUE_ROOMS = {"302", "601"}


def _months(today: date, n: int) -> list[date]:
    months, month = [], today.replace(day=1)
    for _ in range(n):
        months.append(month)
        month = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    return sorted(months)


def _areas(estate: Estate) -> None:
    # Two layouts per floor: x01 89.37 ㎡, x02 112.60 ㎡ (only rooms without a recorded area).
    for suffix, area in (("01", Decimal("89.37")), ("02", Decimal("112.60"))):
        Room.objects.filter(building__estate=estate, number__endswith=suffix, area_m2__isnull=True).update(area_m2=area)


def _items(estate: Estate) -> tuple[FeeItem, FeeItem]:
    fee, _ = FeeItem.objects.get_or_create(
        estate=estate,
        name="物业费",
        defaults={"kind": FeeItem.Kind.PROPERTY, "charging": FeeItem.Charging.PER_M2_MONTH, "sort_order": 1},
    )
    parking, _ = FeeItem.objects.get_or_create(
        estate=estate,
        name="停车费",
        defaults={"kind": FeeItem.Kind.PARKING, "charging": FeeItem.Charging.FIXED_MONTH, "sort_order": 2},
    )
    FeeRate.objects.get_or_create(item=fee, effective_from=RATES_FROM, defaults={"rate_fen": 180})
    FeeRate.objects.get_or_create(item=parking, effective_from=RATES_FROM, defaults={"rate_fen": 15000})
    return fee, parking


def seed(log):
    estate = Estate.objects.get(community__code="baiyun", name=ESTATE)
    manager = User.objects.get(username="property_baiyun")
    demo = User.objects.get(wechat_openid="dev-demo")
    demo_room = Room.objects.get(building__estate=estate, building__name="3幢", building__unit="2单元", number="502")
    _areas(estate)
    _, parking = _items(estate)

    vehicle = Vehicle.objects.filter(community_id=estate.community_id, plate=DEMO_PLATE).first()
    if vehicle is None:
        vehicle = vehicle_services.vehicle_register(
            user=demo, room=demo_room, plate=DEMO_PLATE, description="白色 比亚迪秦"
        )
        vehicle_services.vehicle_confirm(vehicle=vehicle, actor=manager)

    months = _months(timezone.localdate(), 3)
    for month in months:
        fee_services.bill_run(period=month, estates=Estate.objects.filter(pk=estate.pk))

    # Past months: paid at the counter, except the overdue rooms and 张大爷's last month (to pay online).
    # Parking is paid every month, so the plate camera lets 张大爷's car in.
    current, last = months[-1], months[-2]
    unpaid = Bill.objects.filter(estate=estate, status=Bill.Status.UNPAID).select_related("room", "item")
    for bill in unpaid.order_by("period", "room_id", "pk"):
        stays_unpaid = (
            bill.period == current
            or bill.room.number in OVERDUE_ROOMS
            or (bill.room_id == demo_room.pk and bill.period == last)
        )
        if stays_unpaid and bill.item_id != parking.pk:
            continue
        method = Receipt.Method.TRANSFER if bill.room.number.endswith("02") else Receipt.Method.CASH
        bill_services.bills_record_offline(
            bills=[bill], actor=manager, method=method, payer_name=f"{bill.room.building.name}{bill.room.number} 住户"
        )
    log(f"property: {ESTATE} 账单 {Bill.objects.filter(estate=estate).count()} 张")
    demo_gate.seed(log, estate=estate, demo=demo, demo_room=demo_room)
