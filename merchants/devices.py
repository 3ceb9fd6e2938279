"""Smart retail through the device gateway: the rice mill (碾米机) and the unmanned cabinet (无人果蔬柜).

Both are registered with `linli.devices.registry` (imported from MerchantsConfig.ready()) and are
idempotent: a command is queued once per order/session (`dedupe_key`), an event or ack that
arrives again finds the order or session already moved on and changes nothing.

Rice mill: Device.config = {"price_per_kg_fen": 600, "weight_steps_g": [1000, 2500, 5000]}.
Paid → `dispense` command; its ack `done` completes the order, `failed`/`expired` refunds it.

Cabinet: slots in `CabinetSlot` (product, unit weight, tolerance); Device.config may set
"risk_amount_fen" (the Pay Score limit per visit). Opening a session needs an accepted payment
contract and opens a Pay Score service order, then the device gets `open_door`. The
`cabinet.door_closed` event carries each slot's weight before and after: drops become item
counts; a reading that is not a whole number of items within tolerance (or a weight gain) is
ambiguous and the order waits for the merchant's review — nothing is charged until then.
"""

import logging

from django.db import IntegrityError, transaction
from rest_framework import serializers

from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, NotFoundError
from linli.devices.models import Device, DeviceCommand
from linli.devices.registry import on_command_ack, on_event
from linli.devices.services import device_command_create
from linli.notifications.services import notify
from linli.payments import services as payments
from merchants import services
from merchants.models import CabinetSession, CabinetSlot, Order, OrderItem

logger = logging.getLogger(__name__)
DEFAULT_RISK_AMOUNT_FEN = 20000


class DeviceUnavailable(ConflictError):
    code = "device_unavailable"
    default_message = "设备暂不可用"


class CabinetBusy(ConflictError):
    code = "cabinet_busy"
    default_message = "柜门正在被使用，请稍后再试"


def market_device(code: str, kind: str) -> Device:
    """A device of `kind` that a merchant runs, usable now; 404 for anything else."""
    device = Device.objects.select_related("merchant_link__merchant").filter(code=code, kind=kind).first()
    if device is None or not hasattr(device, "merchant_link"):
        raise NotFoundError("设备不存在")
    if device.status == Device.Status.DISABLED or device.merchant_link.merchant.status != "active":
        raise DeviceUnavailable()
    return device


# --- rice mill ----------------------------------------------------------------------------


def rice_mill_prices(device: Device) -> tuple[int, list[int]]:
    config = device.config or {}
    price = config.get("price_per_kg_fen")
    steps = config.get("weight_steps_g") or []
    if not isinstance(price, int) or price <= 0 or not steps or not all(isinstance(s, int) and s > 0 for s in steps):
        raise DeviceUnavailable("碾米机尚未设置价格")
    return price, sorted(steps)


@transaction.atomic
def rice_mill_order_create(*, user: User, device: Device, weight_g: int) -> Order:
    price_per_kg, steps = rice_mill_prices(device)
    if weight_g not in steps:
        raise DomainError(
            "请选择机器提供的重量",
            code="validation_error",
            fields={"weight_g": [f"可选：{', '.join(str(s) for s in steps)}"]},
        )
    total = (price_per_kg * weight_g + 500) // 1000
    line = OrderItem(
        name="现碾新米", unit="克", unit_price_fen=price_per_kg, quantity=1, subtotal_fen=total, weight_g=weight_g
    )
    order = services.order_create_for_device(
        kind=Order.Kind.RICE_MILL,
        user=user,
        merchant=device.merchant_link.merchant,
        device=device,
        lines=[line],
        actor=user,
        note=f"碾米 {weight_g} 克",
    )
    return services.order_payment_create(order=order, description=f"{device.name} 现碾新米 {weight_g / 1000:g} 公斤")


def rice_mill_dispense(order: Order) -> DeviceCommand:
    """Queue the `dispense` command of a paid rice-mill order (once, whatever calls it twice)."""
    item = order.items.get()
    return device_command_create(
        device=order.device,
        kind="dispense",
        payload={"order": order.pk, "number": order.number, "weight_g": item.weight_g},
        dedupe_key=f"market-order:{order.pk}:dispense",
    )


@on_command_ack("dispense")
def rice_mill_dispensed(command: DeviceCommand) -> None:
    if command.device.kind != Device.Kind.RICE_MILL:
        return  # "dispense" is also the drug machine's command (health)
    order = Order.objects.filter(
        pk=(command.payload or {}).get("order"), kind=Order.Kind.RICE_MILL, device_id=command.device_id
    ).first()
    if order is None:
        logger.warning("dispense ack %s names no rice-mill order of this device", command.pk)
        return
    # Only a paid order moves on: a repeated ack finds it completed or refunded and changes nothing.
    if command.status == DeviceCommand.Status.DONE:
        services.order_complete_dispensed(order=order, note="出米完成")
    else:
        services.order_refund_failed_dispense(order=order, reason="出米失败，自动退款")


# --- unmanned cabinet ---------------------------------------------------------------------


@transaction.atomic
def cabinet_session_open(*, user: User, device: Device) -> CabinetSession:
    if CabinetSession.objects.filter(device=device, status=CabinetSession.Status.OPEN).exists():
        raise CabinetBusy()
    merchant = device.merchant_link.merchant
    service_order = payments.service_order_create(
        payer=user,
        purpose=services.ORDER_PURPOSE,
        reference=f"cabinet:{device.code}",
        description=f"{merchant.name} {device.name}",
        risk_amount_fen=int((device.config or {}).get("risk_amount_fen") or DEFAULT_RISK_AMOUNT_FEN),
    )
    try:
        with transaction.atomic():
            session = CabinetSession.objects.create(
                user=user, device=device, merchant=merchant, service_order=service_order
            )
    except IntegrityError:
        # Someone else opened it meanwhile: the provider's service order must not stay open.
        payments.service_order_cancel(service_order=service_order, reason="柜门正被他人使用")
        raise CabinetBusy() from None
    device_command_create(
        device=device,
        kind="open_door",
        payload={"session": session.pk},
        dedupe_key=f"cabinet-session:{session.pk}:open_door",
    )
    return session


def _end_session_without_charge(session: CabinetSession, status: str) -> None:
    payments.service_order_cancel(service_order=session.service_order, reason="未产生费用")
    session.status = status
    session.save(update_fields=["status", "closed_at", "readings", "updated_at"])


@on_command_ack("open_door")
def cabinet_door_opened(command: DeviceCommand) -> None:
    if command.status == DeviceCommand.Status.DONE:
        return
    with transaction.atomic():
        session = (
            CabinetSession.objects.select_for_update()
            .filter(pk=(command.payload or {}).get("session"), device_id=command.device_id)
            .first()
        )
        if session is None or session.status != CabinetSession.Status.OPEN:
            return
        _end_session_without_charge(session, CabinetSession.Status.EMPTY)
        notify(
            session.user_id,
            "market.cabinet_failed",
            "柜门未能打开",
            "果蔬柜未能开门，本次未产生任何费用，请稍后重试。",
            data={"session": session.pk},
            dedupe_key=f"cabinet-session:{session.pk}:failed",
        )


class SlotReadingSerializer(serializers.Serializer):
    slot = serializers.CharField(max_length=10)
    before_g = serializers.IntegerField(min_value=0, max_value=1_000_000)
    after_g = serializers.IntegerField(min_value=0, max_value=1_000_000)


class DoorClosedSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    slots = SlotReadingSerializer(many=True, max_length=100)


def read_slots(device: Device, readings: list[dict]) -> tuple[list[dict], list[str]]:
    """Weight drops → item counts per slot. Returns (rows, reasons the readings are ambiguous)."""
    slots = {slot.code: slot for slot in CabinetSlot.objects.filter(device=device).select_related("product")}
    rows, problems = [], []
    for reading in readings:
        slot = slots.get(reading["slot"])
        drop = reading["before_g"] - reading["after_g"]
        row = {**reading, "drop_g": drop, "count": 0, "ambiguous": False}
        if slot is None:
            row["ambiguous"] = abs(drop) > 0
            if row["ambiguous"]:
                problems.append(f"未知货道 {reading['slot']} 重量变化 {drop} 克")
            rows.append(row)
            continue
        count = max(round(drop / slot.unit_weight_g), 0)
        residual = abs(drop - count * slot.unit_weight_g)
        row.update(product=slot.product_id, unit_weight_g=slot.unit_weight_g, tolerance_g=slot.tolerance_g)
        if drop < -slot.tolerance_g or residual > slot.tolerance_g:
            row["ambiguous"] = True
            problems.append(
                f"货道 {slot.code}（{slot.product.name}）减少 {drop} 克，"
                f"单件 {slot.unit_weight_g}±{slot.tolerance_g} 克"
            )
        else:
            row["count"] = count
        rows.append(row)
    return rows, problems


def _lines(device: Device, counts: dict[int, int]) -> list[OrderItem]:
    slots = {s.product_id: s for s in CabinetSlot.objects.filter(device=device).select_related("product")}
    lines = []
    for product_id, quantity in sorted(counts.items()):
        if quantity <= 0:
            continue
        product = slots[product_id].product
        lines.append(
            OrderItem(
                product=product,
                name=product.name,
                unit=product.unit,
                unit_price_fen=product.price_fen,
                quantity=quantity,
                subtotal_fen=product.price_fen * quantity,
            )
        )
    return lines


def _charge(session: CabinetSession, order: Order, lines: list[OrderItem]) -> None:
    """Charge the settled lines through Pay Score step 2; the payment receiver marks the order paid + completed."""
    services.decrement_stock_taken(lines)
    intent = payments.service_order_complete(
        service_order=session.service_order, amount_fen=order.total_fen, reference=str(order.pk)
    )
    services.order_payment_link(order=order, intent=intent)


@on_event("cabinet.door_closed", kinds=[Device.Kind.UNMANNED_CABINET], schema=DoorClosedSerializer)
def cabinet_door_closed(device: Device, event) -> None:
    data = DoorClosedSerializer(data=event.payload)
    data.is_valid(raise_exception=True)
    with transaction.atomic():
        session = (
            CabinetSession.objects.select_for_update()
            .select_related("service_order", "merchant")
            .filter(pk=data.validated_data["session"], device=device)
            .first()
        )
        if session is None:
            raise NotFoundError("没有这次开门记录")
        if session.status != CabinetSession.Status.OPEN:
            return  # the same door-closed event again: already settled
        rows, problems = read_slots(device, data.validated_data["slots"])
        session.readings = rows
        session.closed_at = event.occurred_at
        counts: dict[int, int] = {}
        for row in rows:
            if row.get("product") and not row["ambiguous"]:
                counts[row["product"]] = counts.get(row["product"], 0) + row["count"]
        lines = _lines(device, counts)
        if not lines and not problems:
            _end_session_without_charge(session, CabinetSession.Status.EMPTY)
            return
        order = services.order_create_for_device(
            kind=Order.Kind.CABINET,
            user=session.user,
            merchant=session.merchant,
            device=device,
            lines=lines,
            note="称重结果不明确，待商家核对" if problems else "关门称重结算",
            review_reasons=problems,
        )
        session.order = order
        session.status = CabinetSession.Status.UNDER_REVIEW if problems else CabinetSession.Status.SETTLED
        session.save(update_fields=["status", "order", "readings", "closed_at", "updated_at"])
        if not problems:
            _charge(session, order, lines)


def _max_counts(session: CabinetSession) -> dict[int, int]:
    """The most items of each product that can have left, from the weight drops (the review's ceiling)."""
    ceiling: dict[int, int] = {}
    for row in session.readings:
        product = row.get("product")
        if not product:
            continue
        most = max(row["drop_g"] + row["tolerance_g"], 0) // row["unit_weight_g"]
        ceiling[product] = ceiling.get(product, 0) + most
    return ceiling


@transaction.atomic
def cabinet_order_settle(*, order: Order, by: User, items: list[dict]) -> Order:
    """The merchant settles an ambiguous cabinet order: the quantities really taken, never more than the
    weights allow. Nothing taken cancels it without a charge."""
    order = services.order_lock_for_review(order=order)
    session = CabinetSession.objects.select_for_update().select_related("service_order").get(order=order)
    ceiling = _max_counts(session)
    counts: dict[int, int] = {}
    for item in items:
        product, quantity = item["product"], item["quantity"]
        if product not in ceiling:
            raise DomainError("该商品不在这次称重的货道里", code="validation_error", fields={"items": ["商品不符"]})
        counts[product] = counts.get(product, 0) + quantity
    too_many = [p for p, q in counts.items() if q > ceiling[p]]
    if too_many:
        raise DomainError(
            "数量超过称重结果允许的上限",
            code="validation_error",
            fields={"items": [f"商品 {p} 最多 {ceiling[p]} 件" for p in too_many]},
        )
    lines = _lines(order.device, counts)
    session.status = CabinetSession.Status.SETTLED
    session.save(update_fields=["status", "updated_at"])
    if not lines:
        services.order_settle_review(order=order, by=by, lines=lines, note="核对后未取商品，不收费")
        payments.service_order_cancel(service_order=session.service_order, reason="核对后未取商品")
        return order
    summary = "、".join(f"{line.name}×{line.quantity}" for line in lines)
    services.order_settle_review(order=order, by=by, lines=lines, note=f"商家核对：{summary}")
    _charge(session, order, lines)
    order.refresh_from_db()
    return order
