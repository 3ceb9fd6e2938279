"""Every write of the market: onboarding, catalogue, orders (with exact stock) and reviews.

Orders change state only through `_transition`, which checks `TRANSITIONS`, writes a history row
and notifies. Services that touch an order's payment lock the payment intent first, then the
order (the payments platform locks the intent before it tells us anything), so a callback, the
expiry job, a cancellation and a merchant's refund never interleave.

Stock is reserved when the order is placed, by a conditional UPDATE (`stock = stock - n WHERE
stock >= n`) inside the order's transaction, and given back at most once (`stock_released`).
"""

import hmac
import secrets
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, DomainError, ForbiddenError, InvalidTransition
from linli.notifications.services import notify
from linli.payments import selectors as payment_selectors
from linli.payments import services as payments
from linli.payments.models import PaymentIntent
from linli.uploads.models import Upload
from linli.uploads.selectors import own_uploads
from linli.uploads.services import attachments_set
from merchants import selectors
from merchants.models import Merchant, MerchantApplication, Order, OrderHistory, OrderItem, Product, Review

ORDER_PURPOSE = "merchants.order"
MAX_IMAGES = 9
S = Order.Status

TRANSITIONS: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PAID, S.CANCELLED},
    S.PAID: {S.ACCEPTED, S.COMPLETED, S.REFUNDED},
    S.ACCEPTED: {S.READY, S.REFUNDED},
    S.READY: {S.COMPLETED, S.REFUNDED},
    S.COMPLETED: {S.REFUNDED},
    S.UNDER_REVIEW: {S.PENDING_PAYMENT, S.CANCELLED},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}

# Who hears about a transition: (title, body for the resident, tell the merchant's members too).
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


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("merchant", "user").get(pk=order.pk)


def _lock_order_with_payment(order: Order) -> Order:
    """Intent first, then the order: the same order every payments callback takes."""
    if order.payment_intent_id:
        payment_selectors.lock_intent(order.payment_intent_id)
    return _lock_order(order)


def _transition(order: Order, to: str, *, actor: User | None = None, note: str = "") -> Order:
    """Apply one state change (the order row is locked by the caller): history row + notifications."""
    if to not in TRANSITIONS.get(order.status, set()):
        raise InvalidTransition(f"订单当前为「{order.get_status_display()}」，不能变为「{S(to).label}」")
    previous = order.status
    order.status = to
    now = timezone.now()
    fields = ["status", "updated_at"]
    if to == S.PAID:
        order.paid_at = now
        fields.append("paid_at")
    if to == S.COMPLETED:
        order.completed_at = now
        fields.append("completed_at")
    order.save(update_fields=fields)
    OrderHistory.objects.create(order=order, from_status=previous, to_status=to, actor=actor, note=note[:300])
    _notify(order, to, note)
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


def _note(order: Order, note: str, *, actor: User | None = None) -> None:
    """A history row without a state change (e.g. a partial refund)."""
    OrderHistory.objects.create(order=order, from_status=order.status, to_status=order.status, actor=actor, note=note)


def _release_stock(order: Order) -> None:
    """Give reserved stock back, once. Only market orders reserve stock before the goods leave."""
    if order.stock_released or order.kind != Order.Kind.MARKET:
        return
    for item in order.items.filter(product__isnull=False).order_by("product_id"):
        Product.objects.filter(pk=item.product_id).update(stock=F("stock") + item.quantity)
    order.stock_released = True
    order.save(update_fields=["stock_released", "updated_at"])


# --- onboarding ---------------------------------------------------------------------------


@transaction.atomic
def merchant_application_create(*, applicant: User, community, **fields) -> MerchantApplication:
    if MerchantApplication.objects.filter(
        applicant=applicant, community=community, name=fields["name"], status=MerchantApplication.Status.PENDING
    ).exists():
        raise ConflictError("该店铺的入驻申请正在审核中", code="application_pending")
    application = MerchantApplication.objects.create(applicant=applicant, community=community, **fields)
    staff_ids = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).values_list(
        "user_id", flat=True
    )
    notify(
        list(staff_ids),
        "market.application_submitted",
        "新的商家入驻申请",
        f"{application.name}（{application.get_category_display()}）申请入驻{community.name}市集。",
        data={"application": application.pk},
        dedupe_key=f"merchant-application:{application.pk}:submitted",
    )
    return application


@transaction.atomic
def merchant_application_approve(
    *, application: MerchantApplication, reviewer: User, note: str = ""
) -> MerchantApplication:
    """Open the shop and make the applicant its owner."""
    application = MerchantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != MerchantApplication.Status.PENDING:
        raise InvalidTransition("该申请已处理")
    if Merchant.objects.filter(community_id=application.community_id, name=application.name).exists():
        raise ConflictError("本社区已有同名店铺", code="merchant_name_taken")
    merchant = Merchant.objects.create(
        name=application.name,
        community_id=application.community_id,
        category=application.category,
        licence_number=application.licence_number,
        contact_phone=application.contact_phone,
        description=application.description,
    )
    Membership.objects.create(
        user=application.applicant,
        role=Role.MERCHANT_MEMBER,
        scope_type=ContentType.objects.get_for_model(Merchant),
        scope_id=merchant.pk,
        position="owner",
    )
    application.status = MerchantApplication.Status.APPROVED
    application.merchant = merchant
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()
    application.review_note = note[:200]
    application.save()
    notify(
        application.applicant,
        "market.application_approved",
        "入驻申请已通过",
        f"「{merchant.name}」已开通，现在可以上架商品了。",
        data={"application": application.pk, "merchant": merchant.pk},
        dedupe_key=f"merchant-application:{application.pk}:decided",
    )
    return application


@transaction.atomic
def merchant_application_reject(*, application: MerchantApplication, reviewer: User, note: str) -> MerchantApplication:
    application = MerchantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != MerchantApplication.Status.PENDING:
        raise InvalidTransition("该申请已处理")
    application.status = MerchantApplication.Status.REJECTED
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()
    application.review_note = note[:200]
    application.save()
    notify(
        application.applicant,
        "market.application_rejected",
        "入驻申请未通过",
        f"「{application.name}」的入驻申请未通过：{note}",
        data={"application": application.pk},
        dedupe_key=f"merchant-application:{application.pk}:decided",
    )
    return application


@transaction.atomic
def merchant_member_add(*, merchant: Merchant, by: User, user: User, position: str = "staff") -> Membership:
    """The owner adds someone to the shop (position staff, or another owner)."""
    if merchant.pk not in selectors.merchant_ids_for(by, owner_only=True):
        raise ForbiddenError("只有店主可以添加成员")
    scope = {"scope_type": ContentType.objects.get_for_model(Merchant), "scope_id": merchant.pk}
    if Membership.objects.filter(user=user, role=Role.MERCHANT_MEMBER, **scope).exists():
        raise ConflictError("该用户已是店铺成员", code="already_member")
    membership = Membership.objects.create(user=user, role=Role.MERCHANT_MEMBER, position=position, **scope)
    notify(
        user,
        "market.member_added",
        "你已加入店铺",
        f"你已成为「{merchant.name}」的成员。",
        data={"merchant": merchant.pk},
        dedupe_key=f"merchant:{merchant.pk}:member:{membership.pk}",
    )
    return membership


@transaction.atomic
def merchant_member_remove(*, membership: Membership, by: User) -> None:
    if membership.scope_id not in selectors.merchant_ids_for(by, owner_only=True):
        raise ForbiddenError("只有店主可以移除成员")
    if membership.user_id == by.pk:
        raise ConflictError("不能移除自己", code="cannot_remove_self")
    membership.delete()


# --- catalogue ----------------------------------------------------------------------------


def _own_images(by: User | None, images: Sequence[Upload]) -> list[Upload]:
    """Product images are uploads of the member who sets them; anyone else's is a validation error."""
    if not images:
        return []
    if by is None:
        raise DomainError("图片不存在或不属于你", code="validation_error", fields={"images": ["图片不存在或不属于你"]})
    images = own_uploads(by, images, field="images")
    if len(images) > MAX_IMAGES:
        raise DomainError(
            f"最多 {MAX_IMAGES} 张图片", code="validation_error", fields={"images": [f"最多 {MAX_IMAGES} 张图片"]}
        )
    return images


@transaction.atomic
def product_create(*, merchant: Merchant, by: User | None = None, images: Sequence[Upload] = (), **fields) -> Product:
    """Add a product; `images` are `by`'s own uploads, in display order (the first is the cover)."""
    images = _own_images(by, images)
    product = Product.objects.create(merchant=merchant, **fields)
    attachments_set(product, "images", images)
    return product


@transaction.atomic
def product_update(
    *, product: Product, by: User | None = None, images: Sequence[Upload] | None = None, **fields
) -> Product:
    """Change a product; `images`, when given, replace the pictures (uploads of `by`, in order)."""
    if images is not None:
        images = _own_images(by, images)
    product = Product.objects.select_for_update().get(pk=product.pk)
    price = fields.get("price_fen", product.price_fen)
    points_price = fields.get("points_price", product.points_price)
    if points_price is not None and points_price > price:
        raise DomainError("积分价不能高于价格", code="validation_error", fields={"points_price": ["不能高于价格"]})
    for name, value in fields.items():
        setattr(product, name, value)
    product.save()
    if images is not None:
        attachments_set(product, "images", images)
    return product


# --- orders -------------------------------------------------------------------------------


def _reserve(product_id: int, quantity: int, name: str) -> None:
    taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(stock=F("stock") - quantity)
    if not taken:
        raise SoldOut(f"「{name}」库存不足")


def _attach_payment(order: Order, *, points_fen: int, description: str) -> Order:
    """Create the order's payment intent. Paid entirely with points, the order is paid on the spot."""
    intent = payments.payment_intent_create(
        payer=order.user,
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


@transaction.atomic
def order_create(
    *,
    user: User,
    items: list[dict],
    fulfilment: str = Order.Fulfilment.PICKUP,
    address: str = "",
    note: str = "",
    points_to_use: int = 0,
) -> Order:
    """Place an order of one merchant's products; stock is reserved now; payment is due within 15 minutes."""
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
    OrderHistory.objects.create(order=order, to_status=S.PENDING_PAYMENT, actor=user, note="下单")
    first = products[ids[0]].name
    description = f"{merchant.name}-{first}" + ("等" if len(ids) > 1 else "")
    return _attach_payment(order, points_fen=points_to_use, description=description)


def order_pay(*, order: Order) -> dict:
    """wx.requestPayment parameters for a pending order."""
    if order.status != S.PENDING_PAYMENT or order.payment_intent_id is None:
        if order.status in (S.PAID, S.ACCEPTED, S.READY, S.COMPLETED):
            raise payments.AlreadyPaid()
        raise InvalidTransition(f"订单当前为「{order.get_status_display()}」，不能支付")
    return payments.payment_intent_prepare(intent=order.payment_intent)


@transaction.atomic
def order_cancel(*, order: Order, by: User) -> Order:
    """The resident cancels: before payment it just ends; paid but not accepted yet, it is refunded in full."""
    order = _lock_order_with_payment(order)
    if order.kind != Order.Kind.MARKET:
        raise InvalidTransition("设备订单不能取消")
    if order.status == S.PENDING_PAYMENT:
        _transition(order, S.CANCELLED, actor=by, note="用户取消")
        _release_stock(order)
        if order.payment_intent_id:
            payments.payment_intent_close(intent=order.payment_intent, reason="cancelled")
        return order
    if order.status == S.PAID:
        _transition(order, S.REFUNDED, actor=by, note="用户取消，全额退款")
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
    order = _lock_order(order)
    if order.kind != Order.Kind.MARKET:
        raise InvalidTransition("设备订单无需接单")
    return _transition(order, S.ACCEPTED, actor=by)


@transaction.atomic
def order_ready(*, order: Order, by: User) -> Order:
    order = _lock_order(order)
    if order.status != S.ACCEPTED:
        raise InvalidTransition(f"订单当前为「{order.get_status_display()}」，请先接单")
    return _transition(order, S.READY, actor=by)


@transaction.atomic
def order_complete(*, order: Order, by: User, pickup_code: str) -> Order:
    """The merchant hands the goods over and checks the resident's pickup code."""
    order = _lock_order(order)
    if order.status != S.READY:
        raise InvalidTransition(f"订单当前为「{order.get_status_display()}」，不能完成")
    if not hmac.compare_digest(order.pickup_code.encode(), str(pickup_code).encode()):
        raise WrongPickupCode(fields={"pickup_code": ["取货码不正确"]})
    return _transition(order, S.COMPLETED, actor=by, note="凭取货码取货")


@transaction.atomic
def order_refund(*, order: Order, by: User | None, amount_fen: int, reason: str) -> Order:
    """Refund part or all of a paid order. Never more than was paid; the whole amount ends the order."""
    order = _lock_order_with_payment(order)
    if order.status not in (S.PAID, S.ACCEPTED, S.READY, S.COMPLETED) or order.payment_intent_id is None:
        raise InvalidTransition(f"订单当前为「{order.get_status_display()}」，不能退款")
    refund = payments.refund_create(
        intent=order.payment_intent, amount_fen=amount_fen, reason=reason or "商家退款", requested_by=by
    )
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id)
    label = f"退款 {refund.amount_fen / 100:.2f} 元：{reason}"
    if intent.refunded_fen >= intent.amount_fen:
        was_completed = order.status == S.COMPLETED
        _transition(order, S.REFUNDED, actor=by, note=label)
        if not was_completed:
            _release_stock(order)
    else:
        _note(order, f"部分{label}", actor=by)
        notify(
            order.user_id,
            "market.order_partially_refunded",
            "商家已部分退款",
            f"订单 {order.number} {label}",
            data={"order": order.pk},
            dedupe_key=f"market-refund:{refund.pk}",
        )
    return order


@transaction.atomic
def review_create(*, order: Order, user: User, rating: int, content: str = "") -> Review:
    order = _lock_order(order)
    if order.user_id != user.pk:
        raise ForbiddenError()
    if order.status != S.COMPLETED:
        raise InvalidTransition("订单完成后才能评价")
    try:
        with transaction.atomic():
            return Review.objects.create(
                order=order, user=user, merchant=order.merchant, rating=rating, content=content
            )
    except IntegrityError:
        raise ConflictError("该订单已评价", code="already_reviewed") from None


# --- payment outcomes (called by merchants.receivers, inside the payments transaction) ------


def on_payment_succeeded(intent: PaymentIntent) -> None:
    order = (
        Order.objects.select_for_update().select_related("merchant", "user").filter(pk=int(intent.reference)).first()
    )
    if order is None or order.status != S.PENDING_PAYMENT:
        return
    _transition(order, S.PAID, note="支付成功")
    if order.kind == Order.Kind.RICE_MILL:
        from merchants.devices import rice_mill_dispense

        rice_mill_dispense(order)
    elif order.kind == Order.Kind.CABINET:
        _transition(order, S.COMPLETED, note="无人柜自动结算")


def on_payment_ended(intent: PaymentIntent, reason: str) -> None:
    order = (
        Order.objects.select_for_update().select_related("merchant", "user").filter(pk=int(intent.reference)).first()
    )
    if order is None or order.status != S.PENDING_PAYMENT:
        return  # already cancelled by the resident, or paid: nothing to do
    note = {"expired": "超时未支付，订单已取消", "cancelled": "用户取消"}.get(reason, f"支付未完成（{reason}）")
    _transition(order, S.CANCELLED, note=note)
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


def decrement_stock_taken(product_id: int, quantity: int) -> None:
    """Goods already gone (cabinet): lower the stock, never below zero."""
    Product.objects.filter(pk=product_id).update(stock=Greatest(F("stock") - quantity, 0))
