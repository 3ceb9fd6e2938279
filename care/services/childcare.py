"""托育点: children, applications, review with a waitlist, monthly fee bills.

Capacity is exact under concurrency: every write that fills or frees a place locks the class row
first (`select_for_update`), then moves `enrolled_count` with a conditional UPDATE
(`enrolled_count < capacity`); the check constraint on the class is the backstop. Lock order is
always class → enrolment, so a withdrawal and an approval of the same class cannot deadlock.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from care.models import Child, ChildcareClass, Enrolment, FeeBill
from linli.accounts.models import User
from linli.api.errors import ConflictError, DomainError, NotFoundError, field_error
from linli.notifications.services import notify
from linli.payments.models import PaymentIntent
from linli.payments.services import payment_intent_create, refund_create
from linli.regions import households
from linli.regions.models import Room
from linli.workflow import check, record_step, transition

FEE_PURPOSE = "care.childcare_fee"
Action, Status = Enrolment.Action, Enrolment.Status


class AgeOutOfBand(DomainError):
    code = "age_out_of_band"
    default_message = "幼儿月龄不符合该班级的招收范围"


class AlreadyApplied(ConflictError):
    code = "already_applied"
    default_message = "该幼儿已有进行中的入托申请"


class BillAlreadyPaid(ConflictError):
    code = "already_paid"
    default_message = "该账单已缴费"


def age_in_months(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def _tell_parent(enrolment: Enrolment, step: str, title: str, body: str) -> None:
    notify(
        enrolment.child.parent_id,
        f"care.childcare_{step}",
        title,
        body,
        link=f"/pages/care/childcare/enrolments/detail?id={enrolment.pk}",
        data={"enrolment": enrolment.pk, "status": enrolment.status},
        dedupe_key=f"care-enrolment:{enrolment.pk}:{step}",
    )


# --- children --------------------------------------------------------------------------------


@transaction.atomic
def child_register(*, parent: User, room: Room, name: str, birth_date: date) -> Child:
    """Register a child under 3 as a dependant on a household the parent is verified in."""
    if households.residency(parent, room) is None:
        raise NotFoundError("房屋不存在")
    today = timezone.localdate()
    if birth_date > today:
        raise field_error("birth_date", "出生日期不能晚于今天")
    if age_in_months(birth_date, today) >= 36:
        raise field_error("birth_date", "托育服务招收 3 周岁以下幼儿")
    try:
        with transaction.atomic():
            return Child.objects.create(
                parent=parent,
                room=room,
                community_id=households.room_community_id(room),
                name=name.strip(),
                birth_date=birth_date,
            )
    except IntegrityError:
        raise ConflictError("该幼儿已登记", code="already_registered") from None


# --- applications and review -----------------------------------------------------------------


@transaction.atomic
def enrolment_apply(*, parent: User, child: Child, klass: ChildcareClass, start_date: date) -> Enrolment:
    """A parent applies for their child to a class; the child's age at `start_date` must fit the band."""
    if child.parent_id != parent.pk:
        raise NotFoundError("幼儿不存在")
    if not klass.is_active or klass.community_id != child.community_id or not klass.provider.is_active:
        raise NotFoundError("班级不存在")
    if start_date < timezone.localdate():
        raise field_error("start_date", "入托日期不能早于今天")
    months = age_in_months(child.birth_date, start_date)
    if not klass.min_age_months <= months < klass.max_age_months:
        raise AgeOutOfBand(
            f"入托时幼儿 {months} 个月，{klass.name}招收 {klass.min_age_months}–{klass.max_age_months} 个月",
            fields={"start_date": [f"入托时月龄须在 {klass.min_age_months}–{klass.max_age_months} 个月之间"]},
        )
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                child=child, klass=klass, community_id=klass.community_id, start_date=start_date
            )
    except IntegrityError:
        raise AlreadyApplied() from None
    record_step(enrolment, Action.APPLY, actor=parent, from_status="")
    return enrolment


def _lock_class(klass_id: int) -> ChildcareClass:
    return ChildcareClass.objects.select_for_update().get(pk=klass_id)


def _take_place(klass: ChildcareClass) -> bool:
    """One place of the (locked) class, if any is left: decided by the conditional UPDATE."""
    return bool(
        ChildcareClass.objects.filter(pk=klass.pk, enrolled_count__lt=F("capacity")).update(
            enrolled_count=F("enrolled_count") + 1
        )
    )


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, reviewer: User, note: str = "") -> Enrolment:
    """Approve an application: enrolled while the class has a place, else onto the waitlist."""
    klass = _lock_class(enrolment.klass_id)
    check(enrolment, Action.ENROL)
    now = timezone.now()
    if _take_place(klass):
        transition(enrolment, Action.ENROL, actor=reviewer, note=note, reviewed_by=reviewer, enrolled_at=now)
        _tell_parent(
            enrolment,
            "enrolled",
            "入托申请已录取",
            f"{enrolment.child.name}已录取{klass.name}，{enrolment.start_date:%m月%d日}入托",
        )
    else:
        transition(
            enrolment,
            Action.WAITLIST,
            actor=reviewer,
            note=note or "学位已满，转入候补",
            reviewed_by=reviewer,
            waitlisted_at=now,
        )
        _tell_parent(
            enrolment, "waitlisted", "入托申请已转入候补", f"{klass.name}学位已满，{enrolment.child.name}已进入候补名单"
        )
    return enrolment


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, reviewer: User, reason: str) -> Enrolment:
    transition(enrolment, Action.REJECT, actor=reviewer, note=reason, reviewed_by=reviewer, reason=reason)
    _tell_parent(enrolment, "rejected", "入托申请未通过", reason)
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, parent: User) -> Enrolment:
    """The parent withdraws an application that is not yet a place (待审核 or 候补)."""
    transition(enrolment, Action.CANCEL, actor=parent, note="家长撤回申请")
    return enrolment


def _promote_waitlisted(klass: ChildcareClass) -> Enrolment | None:
    """The first waitlisted child of the (locked) class takes the freed place."""
    first = (
        Enrolment.objects.select_for_update()
        .select_related("child")
        .filter(klass=klass, status=Status.WAITLISTED)
        .order_by("waitlisted_at", "id")
        .first()
    )
    if first is None or not _take_place(klass):
        return None
    transition(first, Action.PROMOTE, locked=True, note="有学位空出，候补转正", enrolled_at=timezone.now())
    _tell_parent(first, "promoted", "候补转为录取", f"{klass.name}有学位空出，{first.child.name}已录取")
    return first


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor: User, note: str = "") -> Enrolment:
    """An enrolled child leaves (退托): the place goes to the first waitlisted child."""
    klass = _lock_class(enrolment.klass_id)
    transition(enrolment, Action.WITHDRAW, actor=actor, note=note or "退托")
    ChildcareClass.objects.filter(pk=klass.pk).update(enrolled_count=F("enrolled_count") - 1)
    _promote_waitlisted(klass)
    return enrolment


# --- fee bills -------------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@transaction.atomic
def fee_bills_generate(*, month: date | None = None) -> int:
    """One fee bill per enrolled child for `month` (this month by default) whose start date is in or
    before it; bills that exist are left alone, so it may run as often as it likes. Returns how many
    bills it wrote."""
    month = _month_start(month or timezone.localdate())
    enrolled = Enrolment.objects.filter(status=Status.ENROLLED, start_date__lte=_month_end(month)).select_related(
        "child", "klass"
    )
    billed = set(FeeBill.objects.filter(month=month).values_list("enrolment_id", flat=True))
    new = [
        FeeBill(
            enrolment=e,
            parent_id=e.child.parent_id,
            community_id=e.community_id,
            month=month,
            amount_fen=e.klass.monthly_fee_fen,
        )
        for e in enrolled
        if e.pk not in billed
    ]
    # A concurrent run may insert the same bills: the unique (enrolment, month) keeps one of each.
    FeeBill.objects.bulk_create(new, ignore_conflicts=True)
    for bill in new:
        notify(
            bill.parent_id,
            "care.childcare_bill",
            "托育费账单",
            f"{bill.enrolment.child.name} {month:%Y年%m月}保育费 {bill.amount_fen / 100:.2f} 元，请及时缴纳",
            link="/pages/care/childcare/bills",
            dedupe_key=f"care-fee-bill:{bill.enrolment_id}:{month:%Y-%m}",
        )
    return len(new)


@transaction.atomic
def fee_bill_pay(*, bill: FeeBill, payer: User) -> FeeBill:
    """The parent pays a bill online: a payment intent (reused while it is open)."""
    # Only the bill row is locked (PostgreSQL refuses FOR UPDATE on the nullable side of the intent join).
    bill = (
        FeeBill.objects.select_for_update(of=("self",))
        .select_related("enrolment__child", "payment_intent")
        .get(pk=bill.pk)
    )
    if bill.parent_id != payer.pk:
        raise NotFoundError("账单不存在")
    if bill.status == FeeBill.Status.PAID:
        raise BillAlreadyPaid()
    intent = bill.payment_intent
    open_intent = (
        intent is not None
        and intent.status == PaymentIntent.Status.CREATED
        and (intent.expires_at is None or intent.expires_at > timezone.now())
    )
    if not open_intent:
        intent = payment_intent_create(
            payer=payer,
            amount_fen=bill.amount_fen,
            purpose=FEE_PURPOSE,
            reference=str(bill.pk),
            description=f"托育费 {bill.enrolment.child.name} {bill.month:%Y-%m}",
        )
        bill.payment_intent = intent
        bill.save(update_fields=["payment_intent", "updated_at"])
    return bill


def on_fee_paid(intent: PaymentIntent) -> None:
    """payment_succeeded of a fee bill's intent (inside the payment's transaction): the bill is paid, once."""
    bill = FeeBill.objects.select_for_update().filter(pk=int(intent.reference), parent_id=intent.payer_id).first()
    if bill is None:
        return
    if bill.status == FeeBill.Status.PAID:
        if bill.payment_intent_id != intent.pk:
            # An expired intent the parent still managed to pay after a newer one settled the bill: the
            # second payment goes back in full rather than being kept.
            refund_create(intent=intent, amount_fen=intent.amount_fen, reason="托育费已缴清，重复支付退回")
        return
    # Whichever of the bill's intents was paid settles it (an older one paid late counts too).
    bill.status, bill.paid_at, bill.payment_intent = FeeBill.Status.PAID, timezone.now(), intent
    bill.save(update_fields=["status", "paid_at", "payment_intent", "updated_at"])
