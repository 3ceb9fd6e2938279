import pytest
from django.utils import timezone
from rest_framework import serializers

from linli.api.errors import NotFoundError
from linli.devices.models import Device, DeviceEvent
from linli.devices.registry import on_event
from tests.devices.factories import client_for_device, make_device

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/devices/events/"
handled: list[tuple[str, dict, bool]] = []


class ReadingSchema(serializers.Serializer):
    level_cm = serializers.IntegerField(min_value=0, max_value=1000)


@on_event("test.water_level", kinds=[Device.Kind.IOT_SENSOR], schema=ReadingSchema)
def water_level(device, event):
    # The event row is already there, in the same transaction as this handler.
    stored = DeviceEvent.objects.filter(pk=event.pk).exists()
    handled.append((device.code, event.payload, stored))
    if event.payload.get("level_cm") == 999:
        raise NotFoundError("没有这个水位计")


@on_event("test.any_kind")
def any_kind(device, event):
    handled.append((device.code, event.payload, True))


@pytest.fixture(autouse=True)
def _reset_handled():
    handled.clear()


@pytest.fixture
def sensor(community):
    device, secret = make_device(community, kind=Device.Kind.IOT_SENSOR)
    return device, client_for_device(device, secret)


def event(type="test.water_level", payload=None, event_id="evt-1"):
    return {"event_id": event_id, "type": type, "occurred_at": timezone.now().isoformat(), "payload": payload or {}}


def test_it_stores_the_event_and_runs_its_handler_in_the_same_transaction(sensor):
    device, client = sensor

    response = client.post(EVENTS, event(payload={"level_cm": 42}), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "accepted"
    assert handled == [(device.code, {"level_cm": 42}, True)]
    assert DeviceEvent.objects.get(device=device, event_id="evt-1").payload == {"level_cm": 42}


def test_it_accepts_a_repeated_event_without_handling_it_twice(sensor):
    _, client = sensor
    client.post(EVENTS, event(payload={"level_cm": 42}), format="json")

    again = client.post(EVENTS, event(payload={"level_cm": 42}), format="json")

    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert len(handled) == 1
    assert DeviceEvent.objects.count() == 1


def test_it_refuses_the_same_event_id_with_other_content(sensor):
    _, client = sensor
    client.post(EVENTS, event(payload={"level_cm": 42}), format="json")

    response = client.post(EVENTS, event(payload={"level_cm": 43}), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "event_id_conflict"
    assert len(handled) == 1


def test_it_keeps_event_ids_per_device(community, sensor):
    _, client = sensor
    other, other_secret = make_device(community, kind=Device.Kind.IOT_SENSOR)
    client.post(EVENTS, event(payload={"level_cm": 1}), format="json")

    response = client_for_device(other, other_secret).post(EVENTS, event(payload={"level_cm": 1}), format="json")

    assert response.status_code == 201
    assert len(handled) == 2


def test_it_rejects_an_unknown_type_and_lists_the_known_ones(sensor):
    _, client = sensor

    response = client.post(EVENTS, event(type="test.nobody_listens"), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_event_type"
    assert "test.water_level" in body["fields"]["type"][0]
    assert "test.any_kind" in body["fields"]["type"][0]
    assert not DeviceEvent.objects.exists()


def test_it_rejects_an_event_this_kind_of_device_may_not_post(device_api):
    response = device_api.post(EVENTS, event(payload={"level_cm": 1}), format="json")  # a kiosk

    assert response.status_code == 400
    assert response.json()["code"] == "event_type_not_allowed"
    assert handled == []


def test_it_accepts_a_handler_without_kinds_from_any_device(device_api):
    assert device_api.post(EVENTS, event(type="test.any_kind"), format="json").status_code == 201


def test_it_validates_the_payload_with_the_handlers_schema(sensor):
    _, client = sensor

    response = client.post(EVENTS, event(payload={"level_cm": -5}), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == ["payload.level_cm"]
    assert not DeviceEvent.objects.exists()
    assert handled == []


def test_it_stores_nothing_when_the_handler_refuses(sensor):
    _, client = sensor

    response = client.post(EVENTS, event(payload={"level_cm": 999}), format="json")

    assert response.status_code == 404
    assert not DeviceEvent.objects.exists()  # the device may post it again once fixed


@pytest.mark.parametrize(
    "body",
    [
        {"type": "test.water_level", "occurred_at": "2026-11-29T10:00:00+08:00"},
        {"event_id": "bad id with spaces", "type": "test.water_level", "occurred_at": "2026-11-29T10:00:00+08:00"},
        {"event_id": "e1", "type": "test.water_level", "occurred_at": "yesterday"},
        {"event_id": "e1", "type": "test.water_level", "occurred_at": "2026-11-29T10:00:00+08:00", "payload": [1]},
    ],
)
def test_it_validates_the_envelope_of_an_event(sensor, body):
    _, client = sensor

    response = client.post(EVENTS, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_it_answers_malformed_json_with_400(sensor):
    _, client = sensor

    response = client.post(EVENTS, b"{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
