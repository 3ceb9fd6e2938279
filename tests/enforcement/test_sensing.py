"""AI cameras and IoT sensors report through device events; a sensor opens one report per episode."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from rest_framework.exceptions import ValidationError

from enforcement.models import ProblemReport, SensorEpisode
from linli.devices.models import Device
from linli.devices.services import device_create, device_event_receive

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
_events = iter(range(1, 10_000))


@pytest.fixture
def sensor(world):
    device, _secret = device_create(
        kind=Device.Kind.IOT_SENSOR,
        code="jianhu-water-t1",
        name="鉴湖水质浮标",
        street=world.taoyan,
        lat=Decimal("30.012400"),
        lng=Decimal("120.690300"),
        config={"thresholds": {"cod_mg_l": 40}, "category": "illegal_fishing", "hysteresis": 0.9, "quiet_minutes": 30},
    )
    return device


@pytest.fixture
def camera(world):
    device, _secret = device_create(
        kind=Device.Kind.AI_CAMERA,
        code="jianhu-cam-t1",
        name="鉴湖 AI 摄像头",
        street=world.taoyan,
        lat=Decimal("30.012400"),
        lng=Decimal("120.690300"),
        config={"min_confidence": 0.7, "cooldown_minutes": 60},
    )
    return device


def reading(device, minutes, value, metric="cod_mg_l"):
    at = T0 + timedelta(minutes=minutes)
    payload = {"metric": metric, "value": value, "unit": "mg/L", "measured_at": at.isoformat()}
    return device_event_receive(
        device=device, event_id=f"r{next(_events)}", type="sensor.reading", occurred_at=at, payload=payload
    )


def test_readings_over_the_threshold_open_one_report_per_episode(sensor, world):
    reading(sensor, 0, 35)  # under: nothing
    assert ProblemReport.objects.count() == 0
    for minute, value in [(5, 48), (10, 55), (15, 61)]:
        reading(sensor, minute, value)
    [report] = ProblemReport.objects.all()
    assert (report.channel, report.device, report.team) == ("sensor", sensor, world.taoyan_team)
    assert "48" in report.description

    # Between the clear level (36) and the threshold: still the same episode.
    reading(sensor, 20, 38)
    reading(sensor, 25, 44)
    reading(sensor, 30, 30)  # under the clear level: the quiet period starts
    reading(sensor, 50, 31)
    episode = SensorEpisode.objects.get()
    assert episode.closed_at is None and episode.peak_value == 61
    reading(sensor, 61, 29)  # 31 minutes under the clear level: the episode is over
    episode.refresh_from_db()
    assert episode.closed_at == T0 + timedelta(minutes=61) and episode.readings == 8
    assert ProblemReport.objects.count() == 1

    reading(sensor, 90, 52)  # a new excursion: a new report
    assert ProblemReport.objects.count() == 2
    assert SensorEpisode.objects.filter(closed_at__isnull=True).count() == 1


def test_a_rise_back_over_the_threshold_during_the_quiet_period_keeps_the_episode(sensor):
    reading(sensor, 0, 50)
    reading(sensor, 10, 20)
    reading(sensor, 20, 45)  # back over before the quiet period ended
    reading(sensor, 45, 20)
    reading(sensor, 60, 20)  # only 15 min quiet since the last rise
    assert SensorEpisode.objects.get().closed_at is None
    assert ProblemReport.objects.count() == 1


def test_a_metric_without_a_threshold_is_ignored_and_bad_payloads_are_refused(sensor):
    reading(sensor, 0, 999, metric="ph")
    assert ProblemReport.objects.count() == 0
    with pytest.raises(ValidationError):
        device_event_receive(
            device=sensor, event_id="bad", type="sensor.reading", occurred_at=T0, payload={"value": "x"}
        )


def detection(device, minutes, what="illegal_fishing", confidence=0.9, snapshot=None):
    at = T0 + timedelta(minutes=minutes)
    payload = {"detection": what, "confidence": confidence, "detected_at": at.isoformat()}
    if snapshot:
        payload["snapshot_url"] = snapshot
    return device_event_receive(
        device=device, event_id=f"d{next(_events)}", type="camera.detection", occurred_at=at, payload=payload
    )


def test_a_camera_detection_opens_a_report_and_repeats_join_it_within_the_cooldown(camera, world):
    detection(camera, 0, confidence=0.5)  # under the camera's bar
    assert ProblemReport.objects.count() == 0
    detection(camera, 0, snapshot="https://cam.example.com/1.jpg")
    detection(camera, 20, snapshot="https://cam.example.com/2.jpg")
    [report] = ProblemReport.objects.all()
    # The camera's snapshots are its own links: kept as text, never among the report's photos.
    assert (report.channel, report.team, report.external_media_url) == (
        "camera",
        world.taoyan_team,
        "https://cam.example.com/1.jpg",
    )
    assert not report.photos.exists()
    [again] = report.history.filter(action="detected_again")
    assert "https://cam.example.com/2.jpg" in again.note
    detection(camera, 0, what="unknown_thing")
    assert ProblemReport.objects.count() == 1


def test_the_same_event_posted_twice_is_handled_once(sensor):
    at = T0
    payload = {"metric": "cod_mg_l", "value": 80, "measured_at": at.isoformat()}
    for _ in range(2):
        device_event_receive(device=sensor, event_id="same", type="sensor.reading", occurred_at=at, payload=payload)
    assert SensorEpisode.objects.get().readings == 1
