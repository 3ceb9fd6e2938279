"""A bill's life after the run: paid online (several in one payment) or at the counter with a receipt,
waived or adjusted by staff with a reason, refunded in part or in full; arrears reminders.

Every status change goes through `linli.workflow` (the table is on `Bill`), so each step leaves a
history row with who, when and why.

Locking: a payment intent is locked before the bills it pays (as `linli.payments` asks of its owners).
Services that end a bill's open online payment (an offline payment, a waiver, an adjustment, a new
online payment of the same bill) close that intent *first*, then lock the bills; a provider that had
already taken the money wins, and the bill is then paid by that payment.
"""

import secrets
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, NotFoundError, field_error
from linli.notifications.services import notify
from linli.payments import services as payments
from linli.payments.models import PaymentIntent, PaymentPart
from linli.regions.households import household_members
from linli.workflow import check, transition
from property.models import ArrearsReminder, Bill, ParkingPermit, Receipt
from property.selectors import bills as selectors

PURPOSE = "property.bills"
MAX_BILLS_PER_PAYMENT = 36
Action = Bill.Action
Status = Bill.Status


class BillInPayment(ConflictError):
    code = "bill_in_payment"
    default_message = "账单正在支付中，请稍后再试"


def _receipt_number() -> str:
    # Readable, unguessable enough for a printed receipt, and unique by the constraint.
    return f"SJ{timezone.localdate():%Y%m%d}{secrets.token_hex(4).upper()}"


def _release_open_intents(bills: Sequence[Bill]) -> None:
    """Close the still-open online payments of `bills` (before the bills are locked): a payment the
    provider already took is applied instead (its receiver marks the bills paid)."""
    # Read afresh: the caller's objects may predate a payment started since.
    intent_ids = Bill.objects.filter(pk__in=[b.pk for b in bills]).exclude(intent=None).values("intent_id")
    for intent in PaymentIntent.objects.filter(pk__in=intent_ids, status=PaymentIntent.Status.CREATED).order_by("pk"):
        payments.payment_intent_close(intent=intent, reason="superseded")


def _lock(bills: Sequence[Bill]) -> list[Bill]:
    locked = Bill.objects.select_for_update().filter(pk__in=[b.pk for b in bills]).order_by("pk")
    return list(locked.select_related("room__building__estate", "item"))


def _issue_receipt(bills: Sequence[Bill], *, method: str, payer: User | None, payer_name: str, **extra) -> Receipt:
    return Receipt.objects.create(
        number=_receipt_number(),
        community_id=bills[0].community_id,
        payer=payer,
        payer_name=payer_name[:50],
        method=method,
        amount_fen=sum(b.amount_fen for b in bills),
        **extra,
    )


def _one_community(bills: Sequence[Bill]) -> None:
    if len({b.community_id for b in bills}) > 1:
        raise field_error("bills", "一次只能缴同一社区的账单")


def _settle(bill: Bill, *, actor, note: str, method: str, receipt: Receipt, intent=None) -> None:
    transition(
        bill,
        Action.PAY,
        actor=actor,
        note=note,
        locked=True,
        method=method,
        paid_at=timezone.now(),
        receipt=receipt,
        intent=intent,
    )
    _permit_follow(bill)


def _permit_follow(bill: Bill) -> None:
    """A parking bill settled (paid or waived) activates its permit; refunded in full, revokes it."""
    permits = ParkingPermit.objects.filter(bill=bill)
    if bill.status in (Status.PAID, Status.WAIVED):
        permits.filter(status=ParkingPermit.Status.PENDING).update(
            status=ParkingPermit.Status.ACTIVE, updated_at=timezone.now()
        )
    elif bill.status == Status.REFUNDED:
        permits.update(status=ParkingPermit.Status.REVOKED, updated_at=timezone.now())


# --- residents: pay online -------------------------------------------------------------------------


@transaction.atomic
def bills_pay(*, user: User, bill_ids: Sequence[int], idempotency_key: str = "") -> PaymentIntent:
    """One online payment for `bill_ids` (bills of the user's households, unpaid, of one community):
    a payment intent with one part per bill. The bills stay unpaid until the provider confirms
    (`bills_mark_paid`). Paying a bill whose earlier payment is still open closes that one first."""
    bill_ids = sorted(set(bill_ids))
    if not bill_ids:
        raise field_error("bills", "请选择要缴的账单")
    if len(bill_ids) > MAX_BILLS_PER_PAYMENT:
        raise field_error("bills", f"一次最多缴 {MAX_BILLS_PER_PAYMENT} 张账单")
    bills = list(selectors.bills_of(user).filter(pk__in=bill_ids))
    if len(bills) != len(bill_ids):
        raise NotFoundError("账单不存在")
    if idempotency_key:  # a replay returns the first payment, before anything is closed or checked
        first = PaymentIntent.objects.filter(payer=user, idempotency_key=idempotency_key).first()
        if first is not None:
            return _create_intent(user, bills, idempotency_key)
    _one_community(bills)
    for bill in bills:
        check(bill, Action.PAY)
    _release_open_intents(bills)
    bills = _lock(bills)
    for bill in bills:
        check(bill, Action.PAY)  # a payment closed above may just have gone through
        if bill.intent_id and bill.intent.status == PaymentIntent.Status.CREATED:
            raise BillInPayment()
    intent = _create_intent(user, bills, idempotency_key)
    Bill.objects.filter(pk__in=[b.pk for b in bills]).update(intent=intent, updated_at=timezone.now())
    return intent


def _create_intent(user: User, bills: Sequence[Bill], idempotency_key: str) -> PaymentIntent:
    parts = [payments.PartSpec(str(bill.pk), f"{bill.room} {bill.title}", bill.amount_fen) for bill in bills]
    return payments.payment_intent_create_with_parts(
        payer=user, purpose=PURPOSE, parts=parts, idempotency_key=idempotency_key
    )


@transaction.atomic
def bills_mark_paid(*, intent: PaymentIntent, parts: Sequence[PaymentPart]) -> Receipt | None:
    """The provider confirmed `intent` (called by the payment receiver, the intent locked): its bills
    are paid, with one receipt. A bill settled meanwhile in another way (at the counter, waived) gets
    its part refunded at once."""
    by_bill = {int(part.reference): part for part in parts}
    bills = _lock([Bill(pk=pk) for pk in by_bill])
    payable = [b for b in bills if b.status == Status.UNPAID and b.amount_fen == by_bill[b.pk].amount_fen]
    receipt = None
    if payable:
        payer = intent.payer
        receipt = _issue_receipt(
            payable,
            method=Receipt.Method.ONLINE,
            payer=payer,
            payer_name=payer.display_name or payer.username,
            intent=intent,
        )
        for bill in payable:
            _settle(bill, actor=payer, note="在线支付", method=Receipt.Method.ONLINE, receipt=receipt, intent=intent)
    for bill in bills:
        if bill not in payable:
            part = by_bill[bill.pk]
            payments.refund_create(
                intent=intent, part=part, amount_fen=part.amount_fen, reason="账单已结清，重复支付退回"
            )
    return receipt


@transaction.atomic
def bills_release(*, intent: PaymentIntent) -> int:
    """An online payment ended unpaid: its bills may be paid again (the link to it is dropped)."""
    return Bill.objects.filter(intent=intent, status=Status.UNPAID).update(intent=None, updated_at=timezone.now())


# --- property staff --------------------------------------------------------------------------------


@transaction.atomic
def bills_record_offline(
    *, bills: Sequence[Bill], actor: User, method: str, payer_name: str, note: str = ""
) -> Receipt:
    """Staff took the money at the counter (cash) or saw a bank transfer: the bills are paid, with one
    receipt. An open online payment of these bills is closed first."""
    if method not in (Receipt.Method.CASH, Receipt.Method.TRANSFER):
        raise field_error("method", "线下收款方式只能是现金或银行转账")
    if not bills:
        raise field_error("bills", "请选择要收款的账单")
    _one_community(bills)
    for bill in bills:
        check(bill, Action.PAY)
    _release_open_intents(bills)
    bills = _lock(bills)
    for bill in bills:
        check(bill, Action.PAY)
    receipt = _issue_receipt(bills, method=method, payer=None, payer_name=payer_name, recorded_by=actor, note=note)
    label = Receipt.Method(method).label
    for bill in bills:
        _settle(bill, actor=actor, note=f"线下收款（{label}）{note}".strip(), method=method, receipt=receipt)
    return receipt


@transaction.atomic
def bill_waive(*, bill: Bill, actor: User, reason: str) -> Bill:
    """减免: the bill is no longer owed (a parking permit it pays becomes active)."""
    if not reason.strip():
        raise field_error("reason", "请填写减免原因")
    check(bill, Action.WAIVE)
    _release_open_intents([bill])
    transition(bill, Action.WAIVE, actor=actor, note=reason)
    _permit_follow(bill)
    return bill


@transaction.atomic
def bill_adjust(*, bill: Bill, actor: User, amount_fen: int, reason: str) -> Bill:
    """Change an unpaid bill's amount (a wrong area, a partial-month move-in); the old and new amount
    and the reason go into its history. An open online payment of it is closed (its amount is stale)."""
    if not reason.strip():
        raise field_error("reason", "请填写调整原因")
    if amount_fen <= 0:
        raise field_error("amount_fen", "金额必须大于 0；不再收取请用减免")
    check(bill, Action.ADJUST)
    _release_open_intents([bill])
    before = Bill.objects.select_for_update().values_list("amount_fen", flat=True).get(pk=bill.pk)
    transition(
        bill,
        Action.ADJUST,
        actor=actor,
        note=reason,
        record={"amount_before_fen": before, "amount_after_fen": amount_fen},
        amount_fen=amount_fen,
        intent=None,
    )
    return bill


@transaction.atomic
def bill_refund(*, bill: Bill, actor: User, amount_fen: int, reason: str) -> Bill:
    """Give back `amount_fen` of a paid bill. Paid online: a refund of the bill's part of the payment
    (the bill changes when the provider confirms, `bill_refunded`); paid at the counter: the money goes
    back the same way and the refund is recorded at once."""
    if not reason.strip():
        raise field_error("reason", "请填写退款原因")
    if amount_fen <= 0:
        raise field_error("amount_fen", "退款金额必须大于 0")
    bill = Bill.objects.get(pk=bill.pk)  # how it was paid decides the way back: read it afresh
    check(bill, Action.REFUND)
    if bill.method == Receipt.Method.ONLINE:
        intent = PaymentIntent.objects.get(pk=bill.intent_id)
        part = intent.parts.filter(reference=str(bill.pk)).first()
        if part is None:
            raise ConflictError("找不到该账单的支付明细", code="conflict")
        payments.refund_create(intent=intent, part=part, amount_fen=amount_fen, reason=reason[:80], requested_by=actor)
        bill.refresh_from_db()
        return bill
    bill = _lock([bill])[0]
    return _apply_refund(bill, amount_fen=amount_fen, actor=actor, note=reason)


@transaction.atomic
def bill_refunded(
    *, bill_id: int, intent: PaymentIntent, amount_fen: int, note: str = "", actor: User | None = None
) -> Bill | None:
    """A refund of a bill's part reached the payer (called by the refund receiver). A part that never
    paid the bill (it was settled another way first, and the part went straight back) changes nothing."""
    bill = _lock([Bill(pk=bill_id)])[0]
    paid_by_it = bill.intent_id == intent.pk and bill.method == Receipt.Method.ONLINE
    if not paid_by_it or bill.status not in Bill.COLLECTED_STATUSES:
        return None
    return _apply_refund(bill, amount_fen=amount_fen, actor=actor, note=note or "在线退款到账")


def _apply_refund(bill: Bill, *, amount_fen: int, actor, note: str) -> Bill:
    check(bill, Action.REFUND)
    if amount_fen > bill.amount_fen - bill.refunded_fen:
        raise DomainError(
            f"最多可退 {(bill.amount_fen - bill.refunded_fen) / 100:.2f} 元",
            code="refund_exceeds_paid",
            fields={"amount_fen": ["超过可退金额"]},
        )
    refunded = bill.refunded_fen + amount_fen
    action = Action.REFUND if refunded == bill.amount_fen else Action.REFUND_PART
    transition(
        bill, action, actor=actor, note=f"退款 {amount_fen / 100:.2f} 元：{note}", locked=True, refunded_fen=refunded
    )
    _permit_follow(bill)
    return bill


# --- arrears reminders -----------------------------------------------------------------------------


def overdue_bills(*, today=None) -> QuerySet[Bill]:
    today = today or timezone.localdate()
    return Bill.objects.filter(status=Status.UNPAID, due_date__lt=today)


def bills_remind_arrears(*, today=None, limit: int = 500) -> int:
    """Remind each household with overdue bills, once per bill per reminder round (the calendar month),
    so the beat job may run as often as it likes. Returns how many households were reminded."""
    today = today or timezone.localdate()
    rooms = list(
        overdue_bills(today=today)
        .exclude(reminders__round=today.replace(day=1))
        .order_by("room_id")
        .values_list("room_id", flat=True)
        .distinct()[:limit]
    )
    return sum(room_remind_arrears(room_id=pk, today=today) for pk in rooms)


@transaction.atomic
def room_remind_arrears(*, room_id: int, today=None) -> bool:
    """One notification to every member of the room's household for its overdue bills not reminded
    this round (one message for all of them: WeChat pushes spend each member's subscription quota,
    and without quota the reminder stays in the in-app inbox). The bills are locked and re-checked."""
    today = today or timezone.localdate()
    round_ = today.replace(day=1)
    bills = list(
        overdue_bills(today=today)
        .filter(room_id=room_id)
        .exclude(reminders__round=round_)
        .select_for_update()
        .select_related("room__building__estate")
        .order_by("pk")
    )
    if not bills:
        return False
    members = list(household_members(bills[0].room).values_list("user_id", flat=True))
    total = sum(b.amount_fen for b in bills)
    titles = "、".join(b.title for b in bills[:3]) + ("等" if len(bills) > 3 else "")
    sent = notify(
        members,
        "property.arrears",
        "物业缴费提醒",
        f"{bills[0].room}：{titles}共 {total / 100:.2f} 元已过缴费期限，请及时缴纳",
        link="/pages/property/bills?status=unpaid",
        dedupe_key=f"property.arrears:{round_:%Y-%m}:{bills[0].pk}",
        data={"bills": [b.pk for b in bills]},
    )
    ArrearsReminder.objects.bulk_create(
        [ArrearsReminder(bill=b, round=round_, recipients=sent) for b in bills], ignore_conflicts=True
    )
    return True
