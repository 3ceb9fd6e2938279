"""一键呼叫: binding devices to elders, raising alarms from device events, escalation, the response.

* `alarm_raise` — an `sos` / `fall` event of a bound device: opens the elder's alarm and tells the
  family (接收告警), the providers serving the community and the community staff at once; a press while
  the alarm is unclosed joins it (`press_count`). The partial unique constraint on the elder's unclosed
  alarm decides between concurrent presses: the loser of the insert joins the winner's alarm.
* `alarms_escalate` — the beat job: every alarm still `open` past `next_escalation_at` moves one level
  up with a conditional UPDATE (`escalation_level = level`), so each level is announced once even when
  two jobs run at the same moment.
* `alarm_acknowledge` / `alarm_arrive` / `alarm_close` — the response, through the workflow.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from care import conf
from care.models import Alarm, AlarmOutcome, CareDevice, Provider
from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, DomainError, field_error
from linli.devices.models import Device
from linli.family.selectors import alert_recipients
from linli.notifications.services import notify
from linli.workflow import record_step, transition

Action, Status = Alarm.Action, Alarm.Status
ALARM_DEVICE_KINDS = (Device.Kind.SOS_BUTTON, Device.Kind.FALL_DETECTOR)


class DeviceNotBound(ConflictError):
    code = "device_not_bound"
    default_message = "该设备尚未绑定老人，请联系社区登记"


# --- bindings --------------------------------------------------------------------------------


@transaction.atomic
def care_device_bind(
    *, device: Device, elder: User, community, room=None, note: str = "", actor: User | None = None
) -> CareDevice:
    """Bind an SOS button or fall detector to an elder (re-binding a device moves it to the new elder)."""
    if device.kind not in ALARM_DEVICE_KINDS:
        raise field_error("device", "只能绑定一键呼叫按钮或跌倒探测器")
    if device.community_id and device.community_id != community.pk:
        raise field_error("device", "设备不属于该社区")
    binding, _ = CareDevice.objects.update_or_create(
        device=device,
        defaults={
            "elder": elder,
            "community": community,
            "room": room,
            "note": note,
            "is_active": True,
            "created_by": actor,
        },
    )
    return binding


# --- who hears of an alarm -------------------------------------------------------------------


def _provider_people(community_id: int) -> list[int]:
    """Managers and care workers of the active home-care providers serving the community."""
    providers = Provider.objects.filter(communities=community_id, kind=Provider.Kind.HOME_CARE, is_active=True).values(
        "pk"
    )
    return list(
        Membership.objects.filter(
            role=Role.CARE_WORKER,
            scope_type__app_label="care",
            scope_type__model="provider",
            scope_id__in=providers,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def _community_staff(community_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            role=Role.COMMUNITY_STAFF, community_id=community_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def alarm_recipients(alarm: Alarm) -> list[int]:
    """Everyone paged for an alarm: the family holding 接收告警, the providers' people, the community staff."""
    family = alert_recipients(alarm.elder_id).values_list("pk", flat=True)
    ids = [*family, *_provider_people(alarm.community_id), *_community_staff(alarm.community_id)]
    return list(dict.fromkeys(i for i in ids if i != alarm.elder_id))


def _page(alarm: Alarm, level: int) -> int:
    """Tell everyone of `alarm` at escalation `level` (0: the first call), once per level and person."""
    name = str(alarm.elder)
    where = f"（{alarm.binding.note}）" if alarm.binding.note else ""
    title = (
        f"{alarm.get_kind_display()}：{name}"
        if level == 0
        else f"【第{level}次催办】{alarm.get_kind_display()}：{name}"
    )
    body = f"{name}{where}于 {timezone.localtime(alarm.raised_at):%H:%M} 触发{alarm.get_kind_display()}，请立即响应"
    return notify(
        alarm_recipients(alarm),
        "care.alarm",
        title,
        body,
        link=f"/pages/care/alarms/detail?id={alarm.pk}",
        data={"alarm": alarm.pk, "level": level, "kind": alarm.kind},
        dedupe_key=f"care-alarm:{alarm.pk}:level:{level}",
    )


# --- raising ---------------------------------------------------------------------------------


def _join(alarm: Alarm, *, at, device: Device) -> Alarm:
    Alarm.objects.filter(pk=alarm.pk).update(press_count=F("press_count") + 1, last_pressed_at=at)
    alarm.refresh_from_db(fields=["press_count", "last_pressed_at"])
    record_step(alarm, Action.PRESS, note=f"{device.name} 第 {alarm.press_count} 次触发")
    return alarm


@transaction.atomic
def alarm_raise(*, binding: CareDevice, kind: str, at=None) -> tuple[Alarm, bool]:
    """A press (or fall) of a bound device: the elder's unclosed alarm, joined, or a new one paged at once.
    Returns (alarm, created)."""
    if not binding.is_active:
        raise DeviceNotBound()
    at = at or timezone.now()
    unclosed = Alarm.objects.select_for_update().filter(elder_id=binding.elder_id, status__in=Alarm.UNCLOSED)
    alarm = unclosed.first()
    if alarm is not None:
        return _join(alarm, at=at, device=binding.device), False
    try:
        with transaction.atomic():  # a savepoint: a concurrent press may win the insert
            alarm = Alarm.objects.create(
                elder_id=binding.elder_id,
                community_id=binding.community_id,
                binding=binding,
                device=binding.device,
                kind=kind,
                raised_at=at,
                last_pressed_at=at,
                next_escalation_at=at + timedelta(minutes=conf.alarm_escalate_minutes()),
            )
    except IntegrityError:
        # The other press committed its alarm first (the unique index waited for it): join that one.
        return _join(unclosed.get(), at=at, device=binding.device), False
    record_step(alarm, Action.RAISE, note=binding.device.name, from_status="")
    _page(alarm, 0)
    return alarm, True


# --- escalation ------------------------------------------------------------------------------


def alarm_escalate(*, alarm_id: int, now=None) -> bool:
    """Move one unacknowledged alarm up one level and page everyone again; False when it is not due,
    already answered, or another job took this level."""
    now = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.select_related("elder", "binding").filter(pk=alarm_id).first()
        if alarm is None or alarm.status != Status.OPEN or alarm.next_escalation_at is None:
            return False
        if alarm.next_escalation_at > now:
            return False
        level = alarm.escalation_level + 1
        last = level >= conf.alarm_max_escalations()
        following = None if last else now + timedelta(minutes=conf.alarm_escalate_minutes())
        # The level is claimed by a conditional UPDATE: a concurrent job finds the level moved and stops.
        claimed = Alarm.objects.filter(pk=alarm.pk, status=Status.OPEN, escalation_level=level - 1).update(
            escalation_level=level, next_escalation_at=following, updated_at=now
        )
        if not claimed:
            return False
        alarm.escalation_level, alarm.next_escalation_at = level, following
        record_step(alarm, Action.ESCALATE, note=f"无人响应，第 {level} 次催办")
        _page(alarm, level)
    return True


def alarms_escalate(*, now=None) -> int:
    """Beat: escalate every open alarm that is due (each in its own transaction)."""
    now = now or timezone.now()
    due = Alarm.objects.filter(status=Status.OPEN, next_escalation_at__lte=now).values_list("pk", flat=True)
    return sum(alarm_escalate(alarm_id=pk, now=now) for pk in list(due))


# --- the response ----------------------------------------------------------------------------


@transaction.atomic
def alarm_acknowledge(*, alarm: Alarm, actor: User, note: str = "") -> Alarm:
    """Someone answers the call: the escalation stops."""
    now = timezone.now()
    transition(
        alarm,
        Action.ACKNOWLEDGE,
        actor=actor,
        note=note or "已响应",
        acknowledged_by=actor,
        acknowledged_at=now,
        next_escalation_at=None,
    )
    return alarm


@transaction.atomic
def alarm_arrive(*, alarm: Alarm, actor: User, note: str = "") -> Alarm:
    """The responder is at the elder's side (acknowledges too when nobody had)."""
    now = timezone.now()
    changes = {"arrived_by": actor, "arrived_at": now, "next_escalation_at": None}
    if alarm.acknowledged_at is None:
        changes.update(acknowledged_by=actor, acknowledged_at=now)
    transition(alarm, Action.ARRIVE, actor=actor, note=note or "已到场", **changes)
    return alarm


@transaction.atomic
def alarm_close(*, alarm: Alarm, actor: User, outcome: str, note: str = "") -> Alarm:
    """End the episode with its outcome (误报, 居家处置, 送医…); the next press opens a new alarm."""
    if outcome not in AlarmOutcome.values:
        raise DomainError("请选择处置结果", code="validation_error", fields={"outcome": ["无效的处置结果"]})
    now = timezone.now()
    changes = {
        "closed_by": actor,
        "closed_at": now,
        "outcome": outcome,
        "outcome_note": note,
        "next_escalation_at": None,
    }
    transition(alarm, Action.CLOSE, actor=actor, note=note or AlarmOutcome(outcome).label, **changes)
    if alarm.acknowledged_at is None:
        Alarm.objects.filter(pk=alarm.pk).update(acknowledged_by=actor, acknowledged_at=now)
        alarm.acknowledged_by, alarm.acknowledged_at = actor, now
    return alarm
