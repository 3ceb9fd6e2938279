"""Reports from AI cameras and IoT sensors (device events through linli.devices).

Camera: a detection (illegal fishing, illegal construction, …) above the device's minimum
confidence opens a report, unless the same camera already has an open one of that category from
the last `cooldown_minutes` — then the snapshot joins that one.

Sensor: a reading over its threshold opens one report per *episode*. The episode lasts until the
readings have stayed under the clear level (threshold × `hysteresis`) for `quiet_minutes`; readings
between the clear level and the threshold keep it open. Device config, e.g.

    {"thresholds": {"cod_mg_l": 40}, "category": "water_pollution", "hysteresis": 0.9, "quiet_minutes": 30}
"""

from datetime import timedelta

from django.db import IntegrityError, transaction

from enforcement.models import Category, ProblemReport, ReportHistory, SensorEpisode
from enforcement.services.reports import record_event, report_create
from linli.devices.models import Device

DEFAULT_MIN_CONFIDENCE = 0.6
DEFAULT_COOLDOWN_MINUTES = 60
DEFAULT_HYSTERESIS = 0.9
DEFAULT_QUIET_MINUTES = 30


def _config_number(device: Device, name: str, default: float) -> float:
    try:
        return float(device.config.get(name, default))
    except (TypeError, ValueError, AttributeError):
        return default


def _category(code: str) -> Category | None:
    return Category.objects.select_related("matter__domain").filter(code=code).first()


def _where(device: Device) -> str:
    return device.location or device.name


@transaction.atomic
def camera_detection(
    *, device: Device, detection: str, confidence: float, detected_at, snapshot_url: str = ""
) -> ProblemReport | None:
    """Returns the report the detection opened or joined; None when it was below the bar or unknown."""
    mapping = device.config.get("categories") if isinstance(device.config, dict) else None
    code = (mapping or {}).get(detection, detection)
    category = _category(code)
    if category is None or confidence < _config_number(device, "min_confidence", DEFAULT_MIN_CONFIDENCE):
        return None
    cooldown = timedelta(minutes=_config_number(device, "cooldown_minutes", DEFAULT_COOLDOWN_MINUTES))
    recent = (
        ProblemReport.objects.select_for_update()
        .filter(
            device=device,
            category=category,
            status__in=ProblemReport.OPEN_STATUSES,
            created_at__gte=detected_at - cooldown,
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        # The camera's snapshot is the camera's URL, not one of our uploads: the report keeps the
        # first as text (external_media_url); later ones are noted in the internal history.
        if snapshot_url and not recent.external_media_url:
            recent.external_media_url = snapshot_url
            recent.save(update_fields=["external_media_url", "updated_at"])
        snapshot = f"，抓拍 {snapshot_url}" if snapshot_url and snapshot_url != recent.external_media_url else ""
        record_event(
            recent,
            ReportHistory.Action.DETECTED_AGAIN,
            actor=None,
            note=f"{device.code} 再次识别（置信度 {confidence:.2f}）{snapshot}"[:500],
            internal=True,
        )
        return recent
    return report_create(
        channel=ProblemReport.Channel.CAMERA,
        category=category,
        description=f"{device.name} AI 识别：{category.name}（置信度 {confidence:.2f}）",
        external_media_url=snapshot_url,
        lat=device.lat,
        lng=device.lng,
        address=_where(device),
        street=device.street,
        device=device,
    )


def _threshold(device: Device, metric: str) -> float | None:
    thresholds = device.config.get("thresholds") if isinstance(device.config, dict) else None
    try:
        return float(thresholds[metric])
    except (TypeError, KeyError, ValueError):
        return None


@transaction.atomic
def sensor_reading(*, device: Device, metric: str, value: float, measured_at, unit: str = "") -> SensorEpisode | None:
    """Feed one reading into the device's episode for `metric`. Returns the episode it touched."""
    threshold = _threshold(device, metric)
    if threshold is None:
        return None
    episode = (
        SensorEpisode.objects.select_for_update().filter(device=device, metric=metric, closed_at__isnull=True).first()
    )
    if value > threshold:
        if episode is None:
            return _open_episode(device, metric, value, threshold, measured_at, unit)
        episode.peak_value = max(episode.peak_value, value)
        episode.below_since = None
    elif episode is None:
        return None
    else:
        clear_level = threshold * _config_number(device, "hysteresis", DEFAULT_HYSTERESIS)
        quiet = timedelta(minutes=_config_number(device, "quiet_minutes", DEFAULT_QUIET_MINUTES))
        if value >= clear_level:
            episode.below_since = None  # back near the threshold: not clearing yet
        else:
            episode.below_since = episode.below_since or measured_at
            if measured_at - episode.below_since >= quiet:
                episode.closed_at = measured_at
    if measured_at >= episode.last_reading_at:
        episode.last_value, episode.last_reading_at = value, measured_at
    episode.readings += 1
    episode.save()
    if episode.closed_at is not None:
        record_event(
            episode.report,
            ReportHistory.Action.NOTE,
            actor=None,
            note=f"{device.code} {metric} 已回落至 {value:g}{unit}（阈值 {threshold:g}），超标过程结束",
            internal=True,
        )
    return episode


def _open_episode(device, metric, value, threshold, measured_at, unit) -> SensorEpisode | None:
    category = _category(str(device.config.get("category") or "water_pollution"))
    if category is None:
        return None
    try:
        with transaction.atomic():
            report = report_create(
                channel=ProblemReport.Channel.SENSOR,
                category=category,
                description=f"{device.name} 监测 {metric} = {value:g}{unit}，超过阈值 {threshold:g}{unit}",
                lat=device.lat,
                lng=device.lng,
                address=_where(device),
                street=device.street,
                device=device,
            )
            return SensorEpisode.objects.create(
                device=device,
                metric=metric,
                threshold=threshold,
                report=report,
                opened_at=measured_at,
                peak_value=value,
                last_value=value,
                last_reading_at=measured_at,
            )
    except IntegrityError:
        # A concurrent reading opened the episode first: this reading belongs to it.
        episode = SensorEpisode.objects.select_for_update().get(device=device, metric=metric, closed_at__isnull=True)
        episode.peak_value = max(episode.peak_value, value)
        episode.readings += 1
        episode.save(update_fields=["peak_value", "readings"])
        return episode
