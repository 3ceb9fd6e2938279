"""Bill runs (出账): one bill per room and fee item for a month, and per confirmed vehicle for parking.

A run can be repeated at will (the beat job runs it daily, staff from the admin or
`manage.py property_bill_run`): the unique constraints on (room, item, period) and (vehicle, item,
period) decide, so a second run, or two runs at the same time, create nothing new. The amount comes
from the rate in effect on the first day of the month (`bill_amount_fen` rounds it to the fen).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from linli.api.errors import field_error
from linli.regions.models import Estate, Room
from property.models import Bill, FeeItem, FeeRate, ParkingPermit, Vehicle, bill_amount_fen


@dataclass
class BillRunResult:
    period: date
    created: int = 0  # bills new since the run looked (its own, or a concurrent run's)
    existing: int = 0  # bills an earlier run had issued
    skipped: list[str] = field(default_factory=list)  # why some rooms or items got no bill

    def merge(self, other: "BillRunResult") -> None:
        self.created += other.created
        self.existing += other.existing
        self.skipped += other.skipped


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(period: date) -> date:
    return (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_before(period: date, n: int) -> date:
    month = period.month - 1 - n
    return date(period.year + month // 12, month % 12 + 1, 1)


def rate_in_effect(item: FeeItem, period: date) -> FeeRate | None:
    """The item's rate on the first day of the month (a rate taking effect mid-month applies from the next)."""
    return item.rates.filter(effective_from__lte=period).order_by("-effective_from").first()


def _title(item: FeeItem, period: date, vehicle: Vehicle | None = None) -> str:
    title = f"{period.year}年{period.month}月{item.name}"
    return f"{title}（{vehicle.plate}）" if vehicle is not None else title


def bill_run(*, period: date, estates: QuerySet[Estate] | None = None) -> BillRunResult:
    """Issue the bills of `period` (any day of the month) for every active fee item of `estates`
    (default: all). Each item is its own transaction: a failure leaves the other items' bills."""
    period = month_start(period)
    result = BillRunResult(period)
    items = FeeItem.objects.filter(is_active=True).select_related("estate").order_by("estate_id", "sort_order", "id")
    if estates is not None:
        items = items.filter(estate__in=estates)
    for item in items:
        result.merge(bill_run_item(item=item, period=period))
    return result


@transaction.atomic
def bill_run_item(*, item: FeeItem, period: date) -> BillRunResult:
    period = month_start(period)
    result = BillRunResult(period)
    rate = rate_in_effect(item, period)
    if rate is None:
        result.skipped.append(f"{item}：{period:%Y-%m} 没有生效的收费标准")
        return result
    if item.kind == FeeItem.Kind.PARKING:
        for vehicle in Vehicle.objects.filter(
            status=Vehicle.Status.CONFIRMED, room__building__estate_id=item.estate_id
        ).select_related("room"):
            _, created = permit_issue(vehicle=vehicle, item=item, period=period, rate=rate)
            result.created += created
            result.existing += not created
        return result

    rooms = Room.objects.filter(building__estate_id=item.estate_id).order_by("pk")
    have = set(Bill.objects.filter(item=item, period=period, vehicle=None).values_list("room_id", flat=True))
    new = []
    for room in rooms:
        if room.pk in have:
            result.existing += 1
            continue
        if item.charging == FeeItem.Charging.PER_M2_MONTH and not room.area_m2:
            result.skipped.append(f"{room}：未登记建筑面积，未出{item.name}账单")
            continue
        bill = _bill(item=item, room=room, period=period, rate=rate)
        if bill.amount_fen:  # a rate of 0 bills nothing
            new.append(bill)
    # A concurrent run may insert some of these first: its rows win, ours are ignored (the constraint).
    Bill.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    total = Bill.objects.filter(item=item, period=period, vehicle=None).count()
    result.created = total - len(have)
    result.existing = len(have)
    return result


def _bill(*, item: FeeItem, room: Room, period: date, rate: FeeRate, vehicle: Vehicle | None = None) -> Bill:
    area = room.area_m2 if item.charging == FeeItem.Charging.PER_M2_MONTH else None
    amount = bill_amount_fen(charging=item.charging, rate_fen=rate.rate_fen, area_m2=area)
    estate = room.building.estate
    return Bill(
        community_id=estate.community_id,
        estate_id=estate.pk,
        room=room,
        item=item,
        vehicle=vehicle,
        period=period,
        title=_title(item, period, vehicle),
        area_m2=area,
        rate_fen=rate.rate_fen,
        original_fen=amount,
        amount_fen=amount,
        due_date=period + timedelta(days=item.due_days),
    )


@transaction.atomic
def permit_issue(
    *, vehicle: Vehicle, item: FeeItem, period: date, rate: FeeRate | None = None
) -> tuple[ParkingPermit, bool]:
    """The parking permit of `vehicle` for the month of `period` with its bill (get or create): the
    permit becomes active when the bill is paid."""
    period = month_start(period)
    if item.kind != FeeItem.Kind.PARKING:
        raise field_error("item", "请选择停车费项目")
    if item.estate_id != vehicle.room.building.estate_id:
        raise field_error("item", "该停车费项目不属于车辆所在小区")
    existing = ParkingPermit.objects.filter(bill__vehicle=vehicle, bill__item=item, bill__period=period).first()
    if existing is not None:
        return existing, False
    rate = rate or rate_in_effect(item, period)
    if rate is None:
        raise field_error("period", f"{period:%Y-%m} 没有生效的停车收费标准")
    try:
        with transaction.atomic():  # a concurrent run may issue the same month first
            bill = _bill(item=item, room=vehicle.room, period=period, rate=rate, vehicle=vehicle)
            bill.save()
            permit = ParkingPermit.objects.create(
                vehicle=vehicle,
                community_id=vehicle.community_id,
                plate=vehicle.plate,
                bill=bill,
                valid_from=period,
                valid_until=month_end(period),
            )
    except IntegrityError:
        return ParkingPermit.objects.get(bill__vehicle=vehicle, bill__item=item, bill__period=period), False
    return permit, True
