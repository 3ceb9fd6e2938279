"""到家约: booking a slot (never overbooked), cancelling before the cut-off, reminders the day before."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from health import conf
from health.models import Appointment, Slot
from linli import workflow
from linli.accounts.models import User
from linli.api.errors import ConflictError, InvalidTransition
from linli.family.acting import record_act
from linli.limits import services as limits
from linli.notifications.services import notify
from linli.workflow import record_step


class SlotFull(ConflictError):
    code = "slot_full"
    default_message = "该时段已约满"


class SlotClosed(ConflictError):
    code = "slot_closed"
    default_message = "该时段已不可预约"


class AlreadyBooked(ConflictError):
    code = "already_booked"
    default_message = "你已预约该时段"


class AppointmentOverlap(ConflictError):
    code = "appointment_overlap"
    default_message = "你在该时段已有预约"


class CancelTooLate(ConflictError):
    code = "cancel_too_late"
    default_message = "已过取消截止时间"


def _held_by(resident: User):
    return Appointment.objects.filter(resident=resident, status=Appointment.Status.BOOKED)


@transaction.atomic
def appointment_book(*, resident: User, slot: Slot, acted_by: User | None = None) -> Appointment:
    """Take one place of `slot`. The counter moves by a conditional UPDATE (booked < capacity), so
    concurrent bookings of the last place cannot both succeed; a CHECK constraint backs it.

    Fair use: a resident holds at most the limit of upcoming appointments and never two whose times
    overlap. Their row is locked first, so their own concurrent bookings are counted one after another.
    `acted_by`: the family member booking for the resident (亲情账号), recorded as the actor."""
    if slot.starts_at <= timezone.now() or not slot.department.is_active:
        raise SlotClosed()
    limits.lock_person(resident)
    if _held_by(resident).filter(slot=slot).exists():
        raise AlreadyBooked()
    clash = (
        _held_by(resident)
        .filter(slot__date=slot.date, slot__start_time__lt=slot.end_time, slot__end_time__gt=slot.start_time)
        .select_related("slot__department__clinic")
        .first()
    )
    if clash is not None:
        other = clash.slot
        raise AppointmentOverlap(
            f"你已预约 {other.date:%m月%d日} {other.start_time:%H:%M}–{other.end_time:%H:%M} "
            f"{other.department.clinic.name}{other.department.name}，时间重叠",
            extra={"appointment": clash.pk},
        )
    now = timezone.localtime()
    upcoming = _held_by(resident).filter(
        Q(slot__date__gt=now.date()) | Q(slot__date=now.date(), slot__start_time__gt=now.time())
    )
    limits.check(limits.Key.UPCOMING_APPOINTMENTS, count=upcoming.count())
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise SlotFull()
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(slot=slot, resident=resident, acted_by=acted_by)
    except IntegrityError:
        # The same resident booked the same slot concurrently: the outer transaction (and our
        # counter increment) rolls back with this error.
        raise AlreadyBooked() from None
    record_step(appointment, Appointment.Action.BOOK, actor=acted_by or resident, from_status="")
    record_act(
        actor=acted_by,
        beneficiary=resident,
        kind="health.appointment",
        obj=appointment,
        summary=f"预约 {slot.date:%m月%d日} {slot.start_time:%H:%M} {slot.department.name}",
    )
    slot.refresh_from_db(fields=["booked"])
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, resident: User, now=None, acted_by: User | None = None
) -> Appointment:
    now = now or timezone.now()
    if appointment.resident_id != resident.pk:
        raise InvalidTransition()
    if now > appointment.slot.starts_at - conf.appointment_cancel_cutoff():
        hours = int(conf.appointment_cancel_cutoff().total_seconds() // 3600)
        raise CancelTooLate(f"就诊前 {hours} 小时内不能取消")
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    workflow.transition(
        appointment, Appointment.Action.CANCEL, actor=acted_by or resident, locked=True, cancelled_at=now
    )
    record_act(
        actor=acted_by, beneficiary=resident, kind="health.appointment_cancel", obj=appointment, summary="取消预约"
    )
    Slot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return appointment


def appointment_remind(*, appointment_id: int) -> bool:
    """Remind one appointment, once: re-check under a row lock and mark it reminded."""
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__department__clinic")
            .filter(pk=appointment_id, status=Appointment.Status.BOOKED, reminded_at__isnull=True)
            .first()
        )
        if appointment is None:
            return False
        slot = appointment.slot
        notify(
            appointment.resident_id,
            "health.appointment.reminder",
            "明日就诊提醒",
            f"你预约了 {slot.date:%m月%d日} {slot.start_time:%H:%M} {slot.department.clinic.name}"
            f"{slot.department.name}，请按时就诊。",
            link=f"/pages/health/appointment?id={appointment.pk}",
            data={"appointment": appointment.pk},
            dedupe_key=f"health.appointment.reminder:{appointment.pk}",
        )
        appointment.reminded_at = timezone.now()
        appointment.save(update_fields=["reminded_at"])
        return True


def appointments_due_for_reminder(*, today=None) -> list[int]:
    """Booked, not yet reminded appointments of tomorrow's slots."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    return list(
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED, reminded_at__isnull=True, slot__date=tomorrow
        ).values_list("pk", flat=True)
    )
