"""到家查: kiosk sessions, recording measurements, abnormal episodes, and logged reads by doctors."""

import secrets
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from health import conf, ranges
from health.models import (
    AbnormalEpisode,
    Consultation,
    HealthProfile,
    KioskSession,
    VitalAccessLog,
    VitalReading,
    VitalType,
)
from linli.accounts.models import User
from linli.api.errors import DomainError, ForbiddenError
from linli.devices.models import Device
from linli.devices.services import device_command_create
from linli.family.selectors import alert_recipients
from linli.notifications.services import notify

SESSION_COMMAND = "health.kiosk_session"


class KioskUnavailable(DomainError):
    code = "kiosk_unavailable"
    default_message = "该设备不是可用的健康自助机"


class KioskSessionInvalid(DomainError):
    code = "kiosk_session_invalid"
    default_message = "测量会话无效或已过期，请重新扫码"


class VitalsNotShared(ForbiddenError):
    code = "vitals_not_shared"
    default_message = "居民未在进行中的问诊里向你开放体征数据"


@transaction.atomic
def kiosk_session_start(*, resident: User, device: Device) -> KioskSession:
    """The resident scanned the kiosk's QR code: open a session and send the kiosk its token.

    The kiosk row is locked so that two people scanning at once get one session each, in turn;
    the newer scan closes the older session (whoever stands at the kiosk now is measured).
    """
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.kind != Device.Kind.HEALTH_KIOSK or device.status == Device.Status.DISABLED:
        raise KioskUnavailable()
    now = timezone.now()
    KioskSession.objects.filter(device=device, status=KioskSession.Status.OPEN).update(
        status=KioskSession.Status.CLOSED, closed_at=now
    )
    session = KioskSession.objects.create(
        device=device,
        resident=resident,
        token=secrets.token_urlsafe(32),
        expires_at=now + conf.kiosk_session_ttl(),
    )
    device_command_create(
        device=device,
        kind=SESSION_COMMAND,
        payload={"session_token": session.token, "expires_at": session.expires_at.isoformat()},
        dedupe_key=f"health.kiosk-session:{session.pk}",
    )
    return session


def kiosk_sessions_expire(*, now=None) -> int:
    now = now or timezone.now()
    return KioskSession.objects.filter(status=KioskSession.Status.OPEN, expires_at__lte=now).update(
        status=KioskSession.Status.CLOSED, closed_at=now
    )


@transaction.atomic
def vitals_record(*, device: Device, data: dict, measured_at: datetime) -> list[VitalReading]:
    """Store what a kiosk measured in an open session (validated by `devices.KioskMeasurementSchema`).

    Every value is already within physiological limits; each becomes one reading with its
    interpretation. Abnormal readings open (or extend) an episode.
    """
    now = timezone.now()
    session = (
        KioskSession.objects.select_for_update()
        .filter(token=data["session_token"], device=device, status=KioskSession.Status.OPEN, expires_at__gt=now)
        .first()
    )
    if session is None:
        raise KioskSessionInvalid(fields={"session_token": ["测量会话无效或已过期"]})
    common = {"resident_id": session.resident_id, "device": device, "session": session, "measured_at": measured_at}
    readings = []
    if data.get("systolic_mmhg") is not None:
        systolic, diastolic = data["systolic_mmhg"], data["diastolic_mmhg"]
        readings.append(
            VitalReading(
                type=VitalType.BLOOD_PRESSURE,
                systolic=systolic,
                diastolic=diastolic,
                interpretation=ranges.interpret_bp(systolic, diastolic),
                **common,
            )
        )
    if data.get("heart_rate_bpm") is not None:
        readings.append(
            VitalReading(
                type=VitalType.HEART_RATE,
                value=Decimal(data["heart_rate_bpm"]),
                interpretation=ranges.interpret(data["heart_rate_bpm"], ranges.REFERENCE["heart_rate"]),
                **common,
            )
        )
    if data.get("temperature_c") is not None:
        readings.append(
            VitalReading(
                type=VitalType.TEMPERATURE,
                value=data["temperature_c"],
                interpretation=ranges.interpret(data["temperature_c"], ranges.REFERENCE["temperature"]),
                **common,
            )
        )
    if data.get("glucose_mmol_l") is not None:
        context = data["glucose_context"]
        readings.append(
            VitalReading(
                type=VitalType.GLUCOSE,
                value=data["glucose_mmol_l"],
                glucose_context=context,
                interpretation=ranges.interpret(data["glucose_mmol_l"], ranges.glucose_reference(context)),
                **common,
            )
        )
    if data.get("ecg"):
        ecg = data["ecg"]
        heart_rate = ecg.get("heart_rate_bpm")
        readings.append(
            VitalReading(
                type=VitalType.ECG,
                value=Decimal(heart_rate) if heart_rate is not None else None,
                ecg_rhythm=ecg["rhythm"],
                ecg_summary=ecg.get("summary", ""),
                interpretation="N" if ecg["rhythm"] == "sinus" else "H",
                **common,
            )
        )
    for reading in readings:
        reading.save()
        episode_track(reading=reading)
    return readings


# --- abnormal episodes ----------------------------------------------------------------------


def _episode_kind(reading: VitalReading) -> tuple[str | None, bool | None]:
    """(episode kind, abnormal?) of a reading; (None, None) when the reading says nothing about episodes."""
    if reading.type == VitalType.BLOOD_PRESSURE:
        return AbnormalEpisode.Kind.BLOOD_PRESSURE, ranges.bp_alert(reading.systolic, reading.diastolic)
    if reading.type == VitalType.GLUCOSE:
        abnormal = ranges.glucose_alert(reading.value, reading.glucose_context)
        if not abnormal and reading.glucose_context != "fasting":
            # A normal random reading does not show that fasting glucose is back to normal.
            return None, None
        return AbnormalEpisode.Kind.GLUCOSE, abnormal
    return None, None


@transaction.atomic
def episode_track(*, reading: VitalReading) -> AbnormalEpisode | None:
    """Open, extend or end the resident's episode of this kind. Notifies only when an episode opens."""
    kind, abnormal = _episode_kind(reading)
    if kind is None:
        return None
    open_episode = (
        AbnormalEpisode.objects.select_for_update()
        .filter(resident_id=reading.resident_id, kind=kind, ended_at__isnull=True)
        .first()
    )
    if open_episode is not None and reading.measured_at - open_episode.last_abnormal_at > conf.episode_gap():
        # Nothing abnormal for a long time: that episode is over; this reading may start a new one.
        open_episode.ended_at = open_episode.last_abnormal_at + conf.episode_gap()
        open_episode.save(update_fields=["ended_at"])
        open_episode = None
    if not abnormal:
        if open_episode is not None:
            open_episode.ended_at = reading.measured_at
            open_episode.save(update_fields=["ended_at"])
        return None
    if open_episode is not None:
        open_episode.abnormal_readings += 1
        open_episode.last_abnormal_at = max(open_episode.last_abnormal_at, reading.measured_at)
        open_episode.save(update_fields=["abnormal_readings", "last_abnormal_at"])
        return open_episode
    try:
        with transaction.atomic():
            episode = AbnormalEpisode.objects.create(
                resident_id=reading.resident_id,
                kind=kind,
                first_reading=reading,
                started_at=reading.measured_at,
                last_abnormal_at=reading.measured_at,
            )
    except IntegrityError:
        # A concurrent reading opened it first: that one notified.
        return AbnormalEpisode.objects.filter(resident_id=reading.resident_id, kind=kind, ended_at__isnull=True).first()
    _notify_episode(episode, reading)
    return episode


def _notify_episode(episode: AbnormalEpisode, reading: VitalReading) -> None:
    if episode.kind == AbnormalEpisode.Kind.BLOOD_PRESSURE:
        what, value = "血压", f"{reading.systolic}/{reading.diastolic} mmHg"
        advice = "请静坐休息 5 分钟后复测，持续偏高请咨询家庭医生。"
    else:
        what, value = "血糖", f"{reading.value} mmol/L"
        advice = "请注意饮食，按时复测，持续偏高请咨询家庭医生。"
    link = "/pages/health/vitals"
    measured = f"{timezone.localtime(reading.measured_at):%m月%d日 %H:%M}"
    notify(
        reading.resident_id,
        "health.vitals.abnormal",
        f"{what}偏高提醒",
        f"你 {measured} 测得{what} {value}，高于正常范围。{advice}",
        link=link,
        data={"episode": episode.pk},
        dedupe_key=f"health.episode:{episode.pk}",
    )
    # Family members holding 接收告警 (亲情账号) get the same alert, naming the elder.
    family = alert_recipients(reading.resident_id)
    if family.exists():
        elder = User.objects.only("display_name", "username").get(pk=reading.resident_id)
        notify(
            family,
            "health.vitals.abnormal",
            f"家人{what}偏高提醒",
            f"{elder.display_name or elder.username} {measured} 测得{what} {value}，高于正常范围，请关注。",
            link=f"{link}?on_behalf_of={reading.resident_id}",
            data={"episode": episode.pk, "resident": reading.resident_id},
            dedupe_key=f"health.episode:{episode.pk}",
        )
    doctor_id = (
        HealthProfile.objects.filter(user_id=reading.resident_id).values_list("family_doctor_id", flat=True).first()
    )
    if doctor_id:
        # The doctor is told *that* a signed resident needs attention, not the values: reading
        # them goes through a consultation, where the read is logged for the resident to see.
        resident = User.objects.only("display_name", "username").get(pk=reading.resident_id)
        notify(
            doctor_id,
            "health.vitals.abnormal_patient",
            f"签约居民{what}异常",
            f"你的签约居民 {resident.display_name or resident.username} 近期{what}读数异常，请及时随访。",
            data={"episode": episode.pk},
            dedupe_key=f"health.episode:{episode.pk}",
        )
    episode.notified_at = timezone.now()
    episode.save(update_fields=["notified_at"])


# --- reads by others ------------------------------------------------------------------------


def ensure_vitals_shared(*, consultation: Consultation, doctor: User) -> None:
    """Only the consultation's doctor, while it is in progress, and only if the resident shared vitals."""
    if (
        consultation.doctor_id != doctor.pk
        or consultation.status != Consultation.Status.IN_PROGRESS
        or not consultation.share_vitals
    ):
        raise VitalsNotShared()


def vitals_read_by_family(*, resident: User, viewer: User, records: int, purpose: str = "family") -> VitalAccessLog:
    """A family member (亲情账号, view_health, checked by the view) read the resident's vitals or record:
    logged like a doctor's read, for the resident to see."""
    return VitalAccessLog.objects.create(resident=resident, viewer=viewer, purpose=purpose, records=records)


@transaction.atomic
def vitals_read_for_consultation(*, consultation: Consultation, doctor: User, readings) -> list[VitalReading]:
    """A doctor reads the patient's vitals: checked, and always written to the resident's access log."""
    ensure_vitals_shared(consultation=consultation, doctor=doctor)
    rows = list(readings)
    VitalAccessLog.objects.create(
        resident_id=consultation.resident_id,
        viewer=doctor,
        consultation=consultation,
        purpose="consultation",
        records=len(rows),
    )
    return rows
