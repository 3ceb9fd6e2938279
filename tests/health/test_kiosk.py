"""Kiosk sessions and the measurements kiosks post as device events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import KioskSession, VitalReading
from health.tasks import expire_kiosk_sessions
from linli.devices.models import Device, DeviceCommand, DeviceEvent
from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/kiosk-sessions/"


@pytest.fixture
def kiosk(other_community):
    return health.make_kiosk(other_community, code="baiyun-kiosk-1", name="博爱幸福驿站健康自助机")


def _start(client, kiosk) -> KioskSession:
    response = client.post(URL, {"device": kiosk.code})
    assert response.status_code == 201, response.content
    return KioskSession.objects.get(pk=response.json()["id"])


def test_it_sends_the_kiosk_a_session_token_without_showing_it_to_the_phone(as_user, resident, kiosk):
    response = as_user(resident).post(URL, {"device": kiosk.code})
    assert response.status_code == 201
    assert "token" not in str(response.json()).lower()
    session = KioskSession.objects.get(pk=response.json()["id"])
    command = DeviceCommand.objects.get(device=kiosk)
    assert command.kind == "health.kiosk_session"
    assert command.payload["session_token"] == session.token
    assert session.token not in response.content.decode()


def test_it_refuses_a_device_that_is_not_a_kiosk(as_user, resident, other_community):
    mill = health.make_kiosk(other_community, kind=Device.Kind.RICE_MILL)
    response = as_user(resident).post(URL, {"device": mill.code})
    assert response.status_code == 400
    assert as_user(resident).post(URL, {"device": "no-such-kiosk"}).status_code == 400


def test_it_refuses_a_disabled_kiosk(as_user, resident, kiosk):
    kiosk.status = Device.Status.DISABLED
    kiosk.save()
    response = as_user(resident).post(URL, {"device": kiosk.code})
    assert response.status_code == 400
    assert response.json()["code"] == "kiosk_unavailable"


def test_it_stores_each_measurement_with_its_interpretation(as_user, resident, kiosk):
    session = _start(as_user(resident), kiosk)
    response = health.post_event(
        kiosk,
        "kiosk.measurement",
        {
            "session_token": session.token,
            "temperature_c": "36.6",
            "systolic_mmhg": 128,
            "diastolic_mmhg": 82,
            "heart_rate_bpm": 104,
            "glucose_mmol_l": "5.4",
            "glucose_context": "fasting",
            "ecg": {"rhythm": "sinus", "heart_rate_bpm": 72, "summary": "窦性心律，正常心电图"},
        },
    )
    assert response.status_code in (200, 201), response.content
    readings = {r.type: r for r in VitalReading.objects.filter(resident=resident)}
    assert set(readings) == {"temperature", "blood_pressure", "heart_rate", "glucose", "ecg"}
    assert (readings["blood_pressure"].systolic, readings["blood_pressure"].diastolic) == (128, 82)
    assert readings["heart_rate"].interpretation == "H"
    assert readings["temperature"].interpretation == "N"
    assert all(r.device == kiosk and r.session == session for r in readings.values())


def test_it_stores_a_reposted_event_once(as_user, resident, kiosk):
    session = _start(as_user(resident), kiosk)
    payload = {"session_token": session.token, "heart_rate_bpm": 70}
    health.post_event(kiosk, "kiosk.measurement", payload, event_id="measure-1")
    again = health.post_event(kiosk, "kiosk.measurement", payload, event_id="measure-1")
    assert again.status_code in (200, 201)
    assert VitalReading.objects.count() == 1


@pytest.mark.parametrize(
    "values",
    [
        {"temperature_c": "45.2"},
        {"temperature_c": "30.0"},
        {"systolic_mmhg": 300, "diastolic_mmhg": 90},
        {"systolic_mmhg": 120, "diastolic_mmhg": 10},
        {"systolic_mmhg": 80, "diastolic_mmhg": 90},
        {"systolic_mmhg": 120},
        {"heart_rate_bpm": 400},
        {"glucose_mmol_l": "60.0", "glucose_context": "random"},
        {"glucose_mmol_l": "5.0"},
        {"ecg": {"rhythm": "sinus", "heart_rate_bpm": 5}},
        {},
    ],
)
def test_it_rejects_impossible_values_with_400_and_stores_nothing(as_user, resident, kiosk, values):
    session = _start(as_user(resident), kiosk)
    response = health.post_event(kiosk, "kiosk.measurement", {"session_token": session.token, **values})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert not VitalReading.objects.exists()
    assert not DeviceEvent.objects.exists()


def test_it_rejects_measurements_of_an_expired_or_foreign_session(as_user, resident, kiosk, other_community):
    session = _start(as_user(resident), kiosk)
    other_kiosk = health.make_kiosk(other_community)
    payload = {"session_token": session.token, "heart_rate_bpm": 70}
    foreign = health.post_event(other_kiosk, "kiosk.measurement", payload)
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "kiosk_session_invalid"

    KioskSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert health.post_event(kiosk, "kiosk.measurement", payload).status_code == 400
    assert expire_kiosk_sessions() == 1
    assert not VitalReading.objects.exists()
    assert not DeviceEvent.objects.exists()


def test_it_takes_measurements_only_from_kiosks(as_user, resident, kiosk, other_community):
    from tests.devices.factories import make_device

    session = _start(as_user(resident), kiosk)
    mill, secret = make_device(other_community, kind=Device.Kind.RICE_MILL)
    mill.secret = secret
    response = health.post_event(mill, "kiosk.measurement", {"session_token": session.token, "heart_rate_bpm": 70})
    assert response.status_code == 400
    assert not VitalReading.objects.exists()


def test_it_measures_whoever_scanned_last(as_user, resident, neighbour, kiosk):
    first = _start(as_user(resident), kiosk)
    second = _start(as_user(neighbour), kiosk)
    first.refresh_from_db()
    assert first.status == "closed"
    stale = health.post_event(kiosk, "kiosk.measurement", {"session_token": first.token, "heart_rate_bpm": 70})
    assert stale.status_code == 400
    health.post_event(kiosk, "kiosk.measurement", {"session_token": second.token, "heart_rate_bpm": 70})
    assert list(VitalReading.objects.values_list("resident", flat=True)) == [neighbour.pk]
