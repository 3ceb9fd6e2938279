"""Orders of the market and of its smart devices, with exact stock.

Orders move through `Order.workflow` (the table is on the model); each step writes a history row
and tells the resident (and, for some steps, the merchant). Services that touch an order's payment
lock the payment intent first, then the order (the payments platform locks the intent before it
tells us anything), so a callback, the expiry job, a cancellation and a merchant's refund never
interleave.

Stock is reserved when the order is placed, by a conditional UPDATE (`stock = stock - n WHERE
stock >= n`) inside the order's transaction, and given back at most once (`stock_released`).

The device flows (`merchants/devices.py`: rice mill, unmanned cabinet) use the public functions
at the end: they create, pay, complete, refund and settle device orders through them only.
"""

import hmac
import secrets

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, InvalidTransition
from linli.devices.models import Device
from linli.family.acting import record_act
from linli.notifications.services import notify
from linli.payments import selectors as payment_selectors
from linli.payments import services as payments
from linli.payments.models import PaymentIntent
from linli.workflow import check, lock, record_step, refuse, transition
from merchants import cache as product_cache
from merchants import selectors
from merchants.models import Merchant, Order, OrderItem, Product
from merchants.services._common import lock_order

ORDER_PURPOSE = "merchants.order"
S = Order.Status
A = Order.Action

# Who hears about a step, by the status it leads to: (title, body for the resident, tell the merchant's members too).
_NOTICES = {
    S.PAID: ("订单已支付", "订单 {number} 已支付，商家会尽快处理。", True),
    S.ACCEPTED: ("商家已接单", "订单 {number} 已被商家接单。", False),
    S.READY: ("可以取货了", "订单 {number} 已备好，取货码 {pickup_code}。", False),
    S.COMPLETED: ("订单已完成", "订单 {number} 已完成，欢迎评价。", False),
    S.UNDER_REVIEW: ("称重待核对", "订单 {number} 称重结果需要商家核对，核对前不会扣款。", True),
    S.CANCELLED: ("订单已取消", "订单 {number} 已取消。", True),
    S.REFUNDED: ("订单已退款", "订单 {number} 已退款，款项将原路退回。", True),
}


class SoldOut(ConflictError):
    code = "sold_out"
    default_message = "商品库存不足"


class ProductUnavailable(ConflictError):
    code = "product_unavailable"
    default_message = "商品已下架"


class WrongPickupCode(DomainError):
    code = "wrong_pickup_code"
    default_message = "取货码不正确"


def _new_order_number() -> str:
    return f"MO{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(5)}"


def _pickup_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _lock_order_with_payment(order: Order) -> Order:
    """Intent first, then the order: the same order every payments callback takes."""
    if order.payment_intent_id:
        payment_selectors.lock_intent(order.payment_intent_id)
    return lock_order(order)


def _advance(order: Order, action: str, *, actor: User | None = None, note: str = "") -> Order:
    """Apply `action` to an order the caller locked: status, its timestamp, history row, notifications."""
    now = timezone.now()
    stamps = {S.PAID: {"paid_at": now}, S.COMPLETED: {"completed_at": now}}
    transition(order, action, actor=actor, note=note, locked=True, **stamps.get(Order.workflow.target(action), {}))
    _notify(order, order.status, note)
    return order


def _notify(order: Order, to: str, note: str = "") -> None:
    notice = _NOTICES.get(to)
    if notice is None:
        return
    title, body, tell_merchant = notice
    body = body.format(number=order.number, pickup_code=order.pickup_code)
    if note:
        body = f"{body}（{note}）"
    data = {"order": order.pk, "status": to}
    notify(
        order.user_id,
        f"market.order_{to}",
        title,
        body,
        link=f"/pages/market/orders/detail?id={order.pk}",
        data=data,
        dedupe_key=f"market-order:{order.pk}:{to}",
    )
    if tell_merchant:
        members = selectors.member_user_ids(order.merchant)
        notify(
            members,
            f"market.merchant_order_{to}",
            f"{order.merchant.name}：{title}",
            body,
            link=f"/pages/merchant/orders/detail?id={order.pk}",
            data=data,
            dedupe_key=f"market-order:{order.pk}:{to}:merchant",
        )


def _release_stock(order: Order) -> None:
    """Give reserved stock back, once. Only market orders reserve stock before the goods leave."""
    if order.stock_released or order.kind != Order.Kind.MARKET:
        return
    for item in order.items.filter(product__isnull=False).order_by("product_id"):
        Product.objects.filter(pk=item.product_id).update(stock=F("stock") + item.quantity)
    product_cache.bump_cards()  # conditional updates send no signal
    order.stock_released = True
    order.save(update_fields=["stock_released", "updated_at"])


def _reserve(product_id: int, quantity: int, name: str) -> None:
    taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(stock=F("stock") - quantity)
    if not taken:
        raise SoldOut(f"「{name}」库存不足")


def _attach_payment(order: Order, *, points_fen: int, description: str, payer: User | None = None) -> Order:
    """Create the order's payment intent (the buyer pays, or `payer`: a family member who pays for
    them). Paid entirely with points, the order is paid on the spot."""
    intent = payments.payment_intent_create(
        payer=payer or order.user,
        amount_fen=order.total_fen,
        points_fen=points_fen,
        purpose=ORDER_PURPOSE,
        reference=str(order.pk),
        description=description,
    )
    # The payment_succeeded receiver may already have moved the order on: update, then reload.
    Order.objects.filter(pk=order.pk).update(payment_intent=intent)
    order.refresh_from_db()
    return order


# --- market orders ------------------------------------------------------------------------


@transaction.atomic
def order_create(
    *,
    user: User,
    items: list[dict],
    fulfilment: str = Order.Fulfilment.PICKUP,
    address: str = "",
    note: str = "",
    points_to_use: int = 0,
    acted_by: User | None = None,
    paid_by: User | None = None,
) -> Order:
    """Place an order of one merchant's products; stock is reserved now; payment is due within 15 minutes.

    亲情账号: `acted_by` is the family member ordering for `user`; `paid_by` the one who pays (代付: the
    payment intent is theirs, and `points_to_use` spends their points)."""
    if not items:
        raise DomainError("请至少选择一件商品", code="validation_error", fields={"items": ["不能为空"]})
    ids = [item["product"] for item in items]
    if len(set(ids)) != len(ids):
        raise DomainError("同一商品请合并数量", code="validation_error", fields={"items": ["商品重复"]})
    products = Product.objects.select_related("merchant").in_bulk(ids)
    if len(products) != len(ids):
        raise DomainError("商品不存在", code="validation_error", fields={"items": ["商品不存在"]})
    merchants = {product.merchant_id for product in products.values()}
    if len(merchants) != 1:
        raise DomainError("一个订单只能包含同一商家的商品", code="validation_error", fields={"items": ["跨商家"]})
    merchant = next(iter(products.values())).merchant
    if merchant.status != Merchant.Status.ACTIVE or not all(p.is_on_shelf for p in products.values()):
        raise ProductUnavailable()
    if fulfilment == Order.Fulfilment.DELIVERY and not address.strip():
        raise DomainError("送货上门请填写地址", code="validation_error", fields={"address": ["送货上门必填"]})

    quantities = {item["product"]: item["quantity"] for item in items}
    for product_id in sorted(quantities):  # one lock order for every buyer: no deadlocks
        _reserve(product_id, quantities[product_id], products[product_id].name)
    product_cache.bump_cards()  # conditional updates send no signal

    total = sum(products[pid].price_fen * quantities[pid] for pid in ids)
    points_cap = min(total, sum((products[pid].points_price or 0) * quantities[pid] for pid in ids))
    if points_to_use > points_cap:
        raise DomainError(
            f"本单最多可用 {points_cap} 积分",
            code="validation_error",
            fields={"points_to_use": [f"最多 {points_cap}"]},
        )
    order = Order.objects.create(
        number=_new_order_number(),
        user=user,
        merchant=merchant,
        kind=Order.Kind.MARKET,
        status=S.PENDING_PAYMENT,
        fulfilment=fulfilment,
        address=address if fulfilment == Order.Fulfilment.DELIVERY else "",
        note=note,
        total_fen=total,
        points_fen=points_to_use,
        pickup_code=_pickup_code(),
        acted_by=acted_by,
    )
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product=products[pid],
                name=products[pid].name,
                unit=products[pid].unit,
                unit_price_fen=products[pid].price_fen,
                quantity=quantities[pid],
                subtotal_fen=products[pid].price_fen * quantities[pid],
            )
            for pid in ids
        ]
    )
    record_step(order, A.PLACE, actor=acted_by or user, note="家属代下单" if acted_by else "下单", from_status="")
    first = products[ids[0]].name
    description = f"{merchant.name}-{first}" + ("等" if len(ids) > 1 else "")
    record_act(actor=acted_by, beneficiary=user, kind="market.order", obj=order, summary=f"下单「{description}」")
    return _attach_payment(order, points_fen=points_to_use, description=description, payer=paid_by)


def order_pay(*, order: Order) -> dict:
    """wx.requestPayment parameters for a pending order."""
    if order.status != S.PENDING_PAYMENT or order.payment_intent_id is None:
        if order.status in (S.PAID, S.ACCEPTED, S.READY, S.COMPLETED):
            raise payments.AlreadyPaid()
        raise refuse(order, "支付")
    return payments.payment_intent_prepare(intent=order.payment_intent)


@transaction.atomic
def order_cancel(*, order: Order, by: User) -> Order:
    """The resident (or their family member, 亲情账号, as `by`) cancels: before payment it just ends; paid
    but not accepted yet, it is refunded in full (to whoever paid)."""
    order = _lock_order_with_payment(order)
    record_act(
        actor=by, beneficiary=order.user_id, kind="market.order_cancel", obj=order, summary=f"取消订单 {order.number}"
    )
    if order.kind != Order.Kind.MARKET:
        raise InvalidTransition("设备订单不能取消")
    if order.status == S.PENDING_PAYMENT:
        _advance(order, A.CANCEL, actor=by, note="用户取消")
        _release_stock(order)
        if order.payment_intent_id:
            payments.payment_intent_close(intent=order.payment_intent, reason="cancelled")
        return order
    if order.status == S.PAID:
        _advance(order, A.REFUND, actor=by, note="用户取消，全额退款")
        _release_stock(order)
        intent = order.payment_intent
        intent.refresh_from_db()
        if intent.refundable_fen:
            payments.refund_create(
                intent=intent, amount_fen=intent.refundable_fen, reason="用户取消订单", requested_by=by
            )
        return order
    raise InvalidTransition("商家已接单，不能取消，请联系商家")


@transaction.atomic
def order_accept(*, order: Order, by: User) -> Order:
    order = lock_order(order)
    if order.kind != Order.Kind.MARKET:
        raise InvalidTransition("设备订单无需接单")
    return _advance(order, A.ACCEPT, actor=by)


@transaction.atomic
def order_ready(*, order: Order, by: User) -> Order:
    order = lock_order(order)
    return _advance(order, A.READY, actor=by)


@transaction.atomic
def order_complete(*, order: Order, by: User, pickup_code: str) -> Order:
    """The merchant hands the goods over and checks the resident's pickup code."""
    order = lock_order(order)
    check(order, A.PICK_UP)
    if not hmac.compare_digest(order.pickup_code.encode(), str(pickup_code).encode()):
        raise WrongPickupCode(fields={"pickup_code": ["取货码不正确"]})
    return _advance(order, A.PICK_UP, actor=by, note="凭取货码取货")


@transaction.atomic
def order_refund(*, order: Order, by: User | None, amount_fen: int, reason: str) -> Order:
    """Refund part or all of a paid order. Never more than was paid; the whole amount ends the order."""
    order = _lock_order_with_payment(order)
    check(order, A.REFUND)
    if order.payment_intent_id is None:
        raise InvalidTransition("订单没有支付记录，不能退款")
    refund = payments.refund_create(
        intent=order.payment_intent, amount_fen=amount_fen, reason=reason or "商家退款", requested_by=by
    )
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id)
    label = f"退款 {refund.amount_fen / 100:.2f} 元：{reason}"
    if intent.refunded_fen >= intent.amount_fen:
        was_completed = order.status == S.COMPLETED
        _advance(order, A.REFUND, actor=by, note=label)
        if not was_completed:
            _release_stock(order)
    else:
        record_step(order, A.PARTIAL_REFUND, actor=by, note=f"部分{label}")
        notify(
            order.user_id,
            "market.order_partially_refunded",
            "商家已部分退款",
            f"订单 {order.number} {label}",
            data={"order": order.pk},
            dedupe_key=f"market-refund:{refund.pk}",
        )
    return order


# --- payment outcomes (called by merchants.receivers, inside the payments transaction) ------


def on_payment_succeeded(intent: PaymentIntent) -> None:
    order = (
        Order.objects.select_for_update().select_related("merchant", "user").filter(pk=int(intent.reference)).first()
    )
    if order is None or order.status != S.PENDING_PAYMENT:
        return
    _advance(order, A.PAY, note="支付成功")
    if order.kind == Order.Kind.RICE_MILL:
        from merchants.devices import rice_mill_dispense

        rice_mill_dispense(order)
    elif order.kind == Order.Kind.CABINET:
        _advance(order, A.COMPLETE, note="无人柜自动结算")


def on_payment_ended(intent: PaymentIntent, reason: str) -> None:
    order = (
        Order.objects.select_for_update().select_related("merchant", "user").filter(pk=int(intent.reference)).first()
    )
    if order is None or order.status != S.PENDING_PAYMENT:
        return  # already cancelled by the resident, or paid: nothing to do
    note = {"expired": "超时未支付，订单已取消", "cancelled": "用户取消"}.get(reason, f"支付未完成（{reason}）")
    _advance(order, A.CANCEL, note=note)
    _release_stock(order)


def on_refund_succeeded(intent: PaymentIntent, refund) -> None:
    order = Order.objects.select_for_update().filter(pk=int(intent.reference)).first()
    if order is None:
        return
    Order.objects.filter(pk=order.pk).update(refunded_fen=F("refunded_fen") + refund.amount_fen)
    notify(
        order.user_id,
        "market.refund_succeeded",
        "退款已到账",
        f"订单 {order.number} 退款 {refund.amount_fen / 100:.2f} 元已原路退回。",
        data={"order": order.pk, "refund": refund.pk},
        dedupe_key=f"market-refund:{refund.pk}:succeeded",
    )


# --- device orders (merchants/devices.py: rice mill, unmanned cabinet) ----------------------


@transaction.atomic
def order_create_for_device(
    *,
    kind: str,
    user: User,
    merchant: Merchant,
    device: Device,
    lines: list[OrderItem],
    note: str,
    actor: User | None = None,
    review_reasons: list[str] | None = None,
) -> Order:
    """A device's order of `lines` (unsaved items): placed and awaiting payment, or — when the device's
    readings were ambiguous (`review_reasons`) — flagged for the merchant's review, charged nothing yet."""
    review_note = "；".join(review_reasons or [])
    order = Order.objects.create(
        number=_new_order_number(),
        user=user,
        merchant=merchant,
        kind=kind,
        status=S.UNDER_REVIEW if review_note else S.PENDING_PAYMENT,
        total_fen=sum(line.subtotal_fen for line in lines),
        device=device,
        needs_review=bool(review_note),
        review_note=review_note[:300],
    )
    for line in lines:
        line.order = order
    OrderItem.objects.bulk_create(lines)
    if not review_note:
        record_step(order, A.PLACE, actor=actor, note=note, from_status="")
        return order
    record_step(order, A.FLAG_FOR_REVIEW, actor=actor, note=note, from_status="")
    _notify(order, S.UNDER_REVIEW, "称重结果不明确")
    return order


@transaction.atomic
def order_payment_create(*, order: Order, description: str) -> Order:
    """The payment intent of a device order placed for cash (the resident pays at the machine)."""
    return _attach_payment(order, points_fen=0, description=description)


@transaction.atomic
def order_payment_link(*, order: Order, intent: PaymentIntent) -> None:
    """Name the intent that charged a device order afterwards (the cabinet's Pay Score completion).

    Only the link is written: the payment receiver may already have moved the order on."""
    Order.objects.filter(pk=order.pk).update(payment_intent=intent)


@transaction.atomic
def order_complete_dispensed(*, order: Order, note: str) -> Order:
    """The device handed the goods over: a paid device order completes. A repeated report changes nothing."""
    order = _lock_order_with_payment(order)
    if order.status == S.PAID:
        _advance(order, A.COMPLETE, note=note)
    return order


@transaction.atomic
def order_refund_failed_dispense(*, order: Order, reason: str) -> Order:
    """The device could not hand the goods over: a paid device order is refunded in full. A repeated
    report changes nothing."""
    order = _lock_order_with_payment(order)
    if order.status != S.PAID:
        return order
    intent = order.payment_intent
    intent.refresh_from_db()
    return order_refund(order=order, by=None, amount_fen=intent.refundable_fen, reason=reason)


@transaction.atomic
def order_lock_for_review(*, order: Order) -> Order:
    """Lock an order flagged for review for the caller's transaction (409 if it is not waiting for one)."""
    order = lock_order(order)
    check(order, A.REVIEW)
    return order


@transaction.atomic
def order_settle_review(*, order: Order, by: User, lines: list[OrderItem], note: str) -> Order:
    """The merchant's review decided what was taken: the order's lines become `lines` and it awaits
    payment, or, nothing taken, it is cancelled without a charge."""
    lock(order)
    action = A.REVIEW if lines else A.CANCEL
    check(order, action)
    order.items.all().delete()
    for line in lines:
        line.order = order
    OrderItem.objects.bulk_create(lines)
    order.total_fen = sum(line.subtotal_fen for line in lines)
    order.needs_review = False
    order.save(update_fields=["total_fen", "needs_review", "updated_at"])
    return _advance(order, action, actor=by, note=note)


def decrement_stock_taken(lines: list[OrderItem]) -> None:
    """Goods already gone (cabinet): lower each line's stock, never below zero."""
    for line in sorted(lines, key=lambda line: line.product_id):  # one lock order: no deadlocks
        Product.objects.filter(pk=line.product_id).update(stock=Greatest(F("stock") - line.quantity, 0))
    product_cache.bump_cards()  # conditional updates send no signal
