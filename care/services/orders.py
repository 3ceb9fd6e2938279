"""Care orders end to end: place (the subsidy first, the rest online), dispatch, check in at the home,
check out with photos, rate; cancellation with refunds per part.

Payment: one intent with parts (linli.payments): `subsidy` (settled by this app: debited from the
elder's subsidy ledger in the placing transaction) and `self` (paid online). Refunds go per part, never
above it; the subsidy part comes back to the ledger on refund_succeeded (or payment_closed when the
order was never paid), each by its own idempotency key: exactly once.

Cancellation rules (care/conf.py):
* before dispatch (unpaid or waiting for a worker): everything back;
* after dispatch, at least CARE_LATE_CANCEL_HOURS (2) before the start: everything back;
* later than that: the subsidy back in full, the self-paid part less CARE_LATE_CANCEL_FEE_PERCENT (20 %),
  which the provider keeps for the wasted trip;
* once the worker has checked in: no cancellation.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from care import checkin, conf, selectors
from care.models import CareOrder, CareService, ProviderPosition, SubsidyAccount, SubsidyEntry
from care.services._notify import tell, tell_elder_and_family
from care.services.subsidy import entry_write, lock_account
from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, ForbiddenError, field_error
from linli.family.acting import record_act
from linli.payments import services as payments
from linli.payments.models import PaymentIntent, PaymentPart
from linli.payments.selectors import lock_intent
from linli.uploads.models import Upload
from linli.uploads.services import attachments_set
from linli.workflow import check, record_step, refuse, transition

PURPOSE = "care.order"
SUBSIDY_PART, SELF_PART = "subsidy", "self"

S = CareOrder.Status
A = CareOrder.Action


class CareServiceUnavailable(ConflictError):
    code = "care_service_unavailable"
    default_message = "该服务暂不可预约"


class NoHomeInCommunity(DomainError):
    code = "no_home_in_community"
    default_message = "服务对象不是该社区的认证住户，无法上门服务"


def _number() -> str:
    return f"CO{timezone.localtime():%Y%m%d%H%M}{secrets.token_hex(3).upper()}"


def _money(fen: int) -> str:
    return f"{fen / 100:.2f} 元"


def _managers(order: CareOrder) -> list[int]:
    return list(
        selectors.provider_staff(order.provider_id, position=ProviderPosition.MANAGER).values_list("user_id", flat=True)
    )


def _lock(order: CareOrder) -> CareOrder:
    """Intent first, then the order: the order every payments callback takes."""
    intent_id = CareOrder.objects.filter(pk=order.pk).values_list("payment_intent_id", flat=True).first()
    if intent_id:
        lock_intent(intent_id)
    return CareOrder.objects.select_for_update().select_related("service", "room__building__estate").get(pk=order.pk)


# --- placing ----------------------------------------------------------------------------------------


@transaction.atomic
def care_order_place(
    *,
    elder: User,
    service: CareService,
    scheduled_start: datetime,
    note: str = "",
    placed_by: User | None = None,
    payer: User | None = None,
) -> CareOrder:
    """Order `service` for `elder` at their verified home in the service's community.

    `placed_by`: the family member acting for the elder (None when the elder orders); `payer`: who pays
    the self-paid part (the elder, or a family member allowed to pay for them). Subsidy-eligible
    services are paid from the elder's subsidy balance first; when it covers everything the order is
    placed at once, else it waits for the online payment."""
    if not (service.is_active and service.provider.is_active):
        raise CareServiceUnavailable()
    if scheduled_start <= timezone.now():
        raise field_error("scheduled_start", "请选择将来的时间")
    if scheduled_start > timezone.now() + timedelta(days=60):
        raise field_error("scheduled_start", "最多预约 60 天内的服务")
    room = selectors.home_of(elder, service.community_id)
    if room is None:
        raise NoHomeInCommunity()
    price = service.price_fen
    order = CareOrder.objects.create(
        number=_number(),
        elder=elder,
        placed_by=placed_by if placed_by and placed_by.pk != elder.pk else None,
        community_id=service.community_id,
        provider_id=service.provider_id,
        service=service,
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_start + timedelta(minutes=service.duration_minutes),
        note=note,
        price_fen=price,
        cash_fen=price,
    )
    subsidy = 0
    if service.subsidy_eligible:
        account_id = SubsidyAccount.objects.filter(elder=elder).values_list("pk", flat=True).first()
        if account_id is not None:
            account = lock_account(account_id)
            subsidy = min(account.balance_fen, price)
            if subsidy:
                entry_write(
                    account,
                    kind=SubsidyEntry.Kind.SPEND,
                    amount_fen=-subsidy,
                    key=f"order:{order.pk}:spend",
                    order=order,
                    note=f"{service.name} {order.number}",
                )
    order.subsidy_fen, order.cash_fen = subsidy, price - subsidy
    order.save(update_fields=["subsidy_fen", "cash_fen", "updated_at"])
    acted_by = order.placed_by
    note = f"家属代下单，{_price_note(order)}" if acted_by else _price_note(order)
    record_step(order, A.PLACE, actor=acted_by or elder, from_status="", note=note)
    record_act(actor=acted_by, beneficiary=elder, kind="care.order", obj=order, summary=f"预约「{service.name}」")

    parts = []
    if subsidy:
        parts.append(payments.PartSpec(SUBSIDY_PART, "养老服务补贴", subsidy, PaymentPart.Settlement.SETTLED_BY_APP))
    if order.cash_fen:
        parts.append(payments.PartSpec(SELF_PART, "自付部分", order.cash_fen))
    intent = payments.payment_intent_create_with_parts(
        payer=payer or elder,
        purpose=PURPOSE,
        reference=str(order.pk),
        description=f"{service.provider.name}-{service.name}",
        parts=parts,
    )
    # A fully subsidised order was paid just now (the receiver moved it on): update, then reload.
    CareOrder.objects.filter(pk=order.pk).update(payment_intent=intent)
    order.refresh_from_db()
    return order


def _price_note(order: CareOrder) -> str:
    if order.subsidy_fen:
        return f"价格 {_money(order.price_fen)}，补贴抵扣 {_money(order.subsidy_fen)}，自付 {_money(order.cash_fen)}"
    return f"价格 {_money(order.price_fen)}"


def care_order_pay(*, order: CareOrder) -> dict:
    """wx.requestPayment parameters for the self-paid part of an order waiting for payment."""
    if order.status != S.PENDING_PAYMENT or order.payment_intent_id is None:
        if order.status != S.CANCELLED:
            raise payments.AlreadyPaid()
        raise refuse(order, "支付")
    return payments.payment_intent_prepare(intent=order.payment_intent)


# --- the provider and the worker ---------------------------------------------------------------------


@transaction.atomic
def care_order_dispatch(*, order: CareOrder, by: User, worker: User) -> CareOrder:
    """The provider assigns one of its workers (again, to change the worker, until check-in)."""
    order = _lock(order)
    if not selectors.managed_provider_ids(by).filter(scope_id=order.provider_id).exists():
        raise ForbiddenError("只有该服务机构的管理员可以派单")
    check(order, A.DISPATCH)
    if not selectors.is_worker_of(worker, order.provider_id):
        raise field_error("worker", "该人员不是本机构的服务人员")
    previous = order.worker_id
    transition(
        order, A.DISPATCH, actor=by, locked=True, note=f"派给 {worker}", worker=worker, dispatched_at=timezone.now()
    )
    when = timezone.localtime(order.scheduled_start)
    tell(
        [worker.pk],
        order,
        f"assigned_{worker.pk}",
        "新的上门服务任务",
        f"{when:%m月%d日 %H:%M} {order.service.name}，{order.room}",
        link=f"/pages/care/worker/orders/detail?id={order.pk}",
    )
    if previous and previous != worker.pk:
        tell([previous], order, f"unassigned_{previous}", "服务任务已改派", f"订单 {order.number} 已改派他人", link="")
    tell_elder_and_family(
        order,
        f"dispatched_{worker.pk}",
        "已为您安排服务人员",
        f"{order.service.name}：{worker} 将于 {when:%m月%d日 %H:%M} 上门",
    )
    return order


@transaction.atomic
def care_order_check_in(
    *, order: CareOrder, worker: User, latitude=None, longitude=None, door_code: str = ""
) -> CareOrder:
    """The assigned worker arrives: near the elder's estate gate, or scanning the door code."""
    order = _lock(order)
    if order.worker_id != worker.pk:
        raise ForbiddenError("只有被派单的服务人员可以签到")
    check(order, A.CHECK_IN)
    proof = checkin.verify(order.room, latitude=latitude, longitude=longitude, code=door_code)
    transition(
        order,
        A.CHECK_IN,
        actor=worker,
        locked=True,
        note=proof.method if proof.distance_m is None else f"距住址 {proof.distance_m} 米",
        checked_in_at=timezone.now(),
        check_in_method=proof.method,
        check_in_distance_m=proof.distance_m,
    )
    tell_elder_and_family(order, "in_service", "服务人员已上门", f"{worker} 已到达，开始{order.service.name}")
    return order


@transaction.atomic
def care_order_check_out(*, order: CareOrder, worker: User, service_note: str, photos: list[Upload]) -> CareOrder:
    """The worker finishes: what was done, with photos."""
    order = _lock(order)
    if order.worker_id != worker.pk:
        raise ForbiddenError("只有被派单的服务人员可以签退")
    check(order, A.CHECK_OUT)
    transition(
        order,
        A.CHECK_OUT,
        actor=worker,
        locked=True,
        note=service_note[:200],
        checked_out_at=timezone.now(),
        service_note=service_note,
    )
    attachments_set(order, "photos", photos)
    tell_elder_and_family(order, "done", "服务已完成，请评价", f"{order.service.name}：{service_note[:60]}")
    return order


@transaction.atomic
def care_order_rate(
    *, order: CareOrder, by: User, rating: int, comment: str = "", acted_by: User | None = None
) -> CareOrder:
    """The elder, or family acting for them (`acted_by`), rates a finished service (once)."""
    order = _lock(order)
    transition(
        order, A.RATE, actor=by, locked=True, note=comment[:200], rating=rating, rating_comment=comment, rated_by=by
    )
    record_act(
        actor=acted_by,
        beneficiary=order.elder_id,
        kind="care.order.rate",
        obj=order,
        summary=f"评价「{order.service.name}」{rating} 星",
    )
    if order.worker_id:
        tell(
            [order.worker_id, *_managers(order)],
            order,
            "rated",
            "服务评价",
            f"{order.number}：{rating} 星 {comment[:40]}",
            link="",
        )
    return order


# --- cancelling and refunds ----------------------------------------------------------------------------


def cancellation_fee_fen(order: CareOrder, now: datetime | None = None) -> int:
    """What a cancellation now keeps of the self-paid part (see the module's rules)."""
    now = now or timezone.now()
    if order.status != S.DISPATCHED:
        return 0
    if order.scheduled_start - now >= timedelta(hours=conf.late_cancel_hours()):
        return 0
    return order.cash_fen * conf.late_cancel_fee_percent() // 100


@transaction.atomic
def care_order_cancel(*, order: CareOrder, by: User, reason: str = "", acted_by: User | None = None) -> CareOrder:
    """Cancel before the worker checks in. Unpaid: the payment closes and the subsidy goes back. Paid:
    each part is refunded (the subsidy to the ledger, the rest online), less a late-cancellation fee."""
    order = _lock(order)
    check(order, A.CANCEL)
    was = order.status
    fee = cancellation_fee_fen(order)
    note = reason or "取消订单"
    if fee:
        note = f"{note}（临近服务时间取消，扣除自付部分 {conf.late_cancel_fee_percent()}%：{_money(fee)}）"
    transition(
        order, A.CANCEL, actor=by, locked=True, note=note[:500], cancelled_at=timezone.now(), cancel_reason=reason[:200]
    )
    intent = PaymentIntent.objects.get(pk=order.payment_intent_id) if order.payment_intent_id else None
    if intent is not None and was == S.PENDING_PAYMENT:
        payments.payment_intent_close(intent=intent, reason="cancelled")
    elif intent is not None and intent.status == PaymentIntent.Status.SUCCEEDED:
        for part in intent.parts.order_by("id"):
            amount = part.refundable_fen - (fee if part.reference == SELF_PART else 0)
            if amount > 0:
                payments.refund_create(
                    intent=intent, part=part, amount_fen=amount, reason="取消养老服务订单", requested_by=by
                )
    if was == S.DISPATCHED and order.worker_id:
        tell(
            [order.worker_id, *_managers(order)],
            order,
            "cancelled",
            "服务订单已取消",
            f"{order.number} {order.service.name}",
            link="",
        )
    elif was == S.PLACED:
        tell(_managers(order), order, "cancelled", "服务订单已取消", f"{order.number} {order.service.name}", link="")
    tell_elder_and_family(order, "cancelled", "服务订单已取消", f"{order.service.name}：{note}")
    record_act(
        actor=acted_by,
        beneficiary=order.elder_id,
        kind="care.order.cancel",
        obj=order,
        summary=f"取消「{order.service.name}」",
    )
    return order


def _subsidy_back(order_id: int, *, amount_fen: int, key: str, note: str) -> None:
    """Credit the subsidy ledger with what the order took, once per key; never more than it took."""
    order = CareOrder.objects.select_for_update().get(pk=order_id)
    amount = min(amount_fen, order.subsidy_fen - order.refunded_subsidy_fen)
    if amount <= 0:
        return
    account_id = SubsidyAccount.objects.filter(elder_id=order.elder_id).values_list("pk", flat=True).first()
    if account_id is None:
        return
    entry = entry_write(
        lock_account(account_id), kind=SubsidyEntry.Kind.REFUND, amount_fen=amount, key=key, order=order, note=note
    )
    if entry is not None:
        CareOrder.objects.filter(pk=order.pk).update(refunded_subsidy_fen=F("refunded_subsidy_fen") + amount)


# --- payment outcomes (care.receivers, inside the payments transaction) ---------------------------------


def on_payment_succeeded(intent: PaymentIntent) -> None:
    order = CareOrder.objects.select_for_update().select_related("service").filter(pk=int(intent.reference)).first()
    if order is None or order.status != S.PENDING_PAYMENT:
        return
    paid = [f"补贴 {_money(order.subsidy_fen)}"] if order.subsidy_fen else []
    if order.cash_fen:
        paid.append(f"自付 {_money(order.cash_fen)}")
    transition(order, A.PAY, locked=True, note="，".join(paid))
    when = timezone.localtime(order.scheduled_start)
    tell(
        _managers(order),
        order,
        "placed",
        "新的养老服务订单待派单",
        f"{when:%m月%d日 %H:%M} {order.service.name}，{order.room}",
        link=f"/pages/care/provider/orders/detail?id={order.pk}",
    )
    tell_elder_and_family(order, "placed", "养老服务已预约", f"{order.service.name} {when:%m月%d日 %H:%M}，等待派单")


def on_payment_ended(intent: PaymentIntent, reason: str, parts) -> None:
    """Closed or failed unpaid: the order ends (if it still waited) and its subsidy goes back."""
    order = CareOrder.objects.select_for_update().filter(pk=int(intent.reference)).first()
    if order is None:
        return
    if order.status == S.PENDING_PAYMENT:
        note = {"expired": "超时未支付，订单已取消"}.get(reason, f"支付未完成（{reason}）")
        transition(order, A.CANCEL, locked=True, note=note, cancelled_at=timezone.now(), cancel_reason=note)
        tell_elder_and_family(order, "cancelled", "服务订单已取消", note)
    for part in parts:
        if part.settlement == PaymentPart.Settlement.SETTLED_BY_APP:
            _subsidy_back(
                order.pk, amount_fen=part.amount_fen, key=f"order:{order.pk}:unpaid", note="订单未支付，补贴退回"
            )


def on_refund_succeeded(intent: PaymentIntent, refund, part) -> None:
    if part is None:
        return
    order_id = int(intent.reference)
    if part.settlement == PaymentPart.Settlement.SETTLED_BY_APP:
        _subsidy_back(
            order_id, amount_fen=refund.amount_fen, key=f"refund:{refund.out_refund_no}", note="订单取消，补贴退回"
        )
    else:
        CareOrder.objects.filter(pk=order_id).update(refunded_cash_fen=F("refunded_cash_fen") + refund.amount_fen)
    order = CareOrder.objects.get(pk=order_id)
    record_step(order, A.REFUND, note=f"{part.description}退回 {_money(refund.amount_fen)}")
