"""Signed device requests: what is accepted, and every way a request is refused (401 + envelope)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.devices.models import Device
from linli.devices.services import device_disable, device_secret_rotate
from tests.devices.factories import SignedClient, make_device, signed_headers

pytestmark = pytest.mark.django_db

HEARTBEAT = "/api/v1/devices/heartbeat/"


def _refused(response, code):
    assert response.status_code == 401, response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert response["WWW-Authenticate"].startswith("HMAC-SHA256")


def test_it_accepts_a_correctly_signed_request(device_api, kiosk):
    response = device_api.post(HEARTBEAT, {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["code"] == kiosk[0].code


def test_it_asks_for_a_signature_when_there_is_none(api):
    response = api.post(HEARTBEAT, {}, format="json")

    _refused(response, "not_authenticated")


def test_it_does_not_take_a_user_token_instead_of_a_signature(as_user, staff):
    response = as_user(staff).post(HEARTBEAT, {}, format="json")

    _refused(response, "not_authenticated")


def test_it_refuses_missing_signature_headers(api, kiosk):
    response = api.post(HEARTBEAT, {}, format="json", HTTP_X_DEVICE_ID=kiosk[0].code)

    _refused(response, "invalid_signature")
    assert "X-Timestamp" in response.json()["message"]


def test_it_refuses_a_wrong_signature(api, kiosk):
    device, _ = kiosk
    headers = signed_headers(device.code, "not-the-secret", "POST", HEARTBEAT, b"{}")

    _refused(api.post(HEARTBEAT, {}, format="json", **headers), "invalid_signature")


def test_it_refuses_a_body_changed_after_signing(api, kiosk):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "POST", HEARTBEAT, b'{"battery_pct": 90}')

    response = api.post(HEARTBEAT, b'{"battery_pct": 10}', content_type="application/json", **headers)

    _refused(response, "invalid_signature")
    device.refresh_from_db()
    assert device.last_heartbeat_at is None


def test_it_refuses_a_query_string_changed_after_signing(api, kiosk):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "GET", "/api/v1/devices/commands/?page=1", b"")

    _refused(api.get("/api/v1/devices/commands/?page=2", **headers), "invalid_signature")


def test_it_refuses_a_request_signed_for_another_method(api, kiosk):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "GET", HEARTBEAT, b"{}")

    _refused(api.post(HEARTBEAT, {}, format="json", **headers), "invalid_signature")


@pytest.mark.parametrize("seconds", [-330, 330, 3600])
def test_it_refuses_a_timestamp_more_than_five_minutes_off(device_api, seconds):
    device_api.sign_as = {"timestamp": timezone.now().timestamp() + seconds}

    _refused(device_api.post(HEARTBEAT, {}, format="json"), "stale_timestamp")


@pytest.mark.parametrize("seconds", [-270, 270])
def test_it_tolerates_a_clock_a_little_off(device_api, seconds):
    device_api.sign_as = {"timestamp": timezone.now().timestamp() + seconds}

    assert device_api.post(HEARTBEAT, {}, format="json").status_code == 200


def test_it_refuses_a_timestamp_that_is_not_unix_seconds(api, kiosk):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "POST", HEARTBEAT, b"{}")
    headers["HTTP_X_TIMESTAMP"] = "2026-11-29T10:00:00"

    _refused(api.post(HEARTBEAT, {}, format="json", **headers), "stale_timestamp")


def test_it_refuses_a_replayed_request(api, kiosk):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "POST", HEARTBEAT, b"{}")

    assert api.post(HEARTBEAT, b"{}", content_type="application/json", **headers).status_code == 200
    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "replayed_nonce")


def test_it_refuses_a_reused_nonce_even_in_a_fresh_request(device_api):
    device_api.sign_as = {"nonce": "the-same-nonce-0001"}

    assert device_api.post(HEARTBEAT, {}, format="json").status_code == 200
    _refused(device_api.get("/api/v1/devices/commands/"), "replayed_nonce")


def test_it_remembers_a_nonce_as_long_as_its_timestamp_is_acceptable(api, kiosk):
    device, secret = kiosk
    start = timezone.now()
    # A device clock 5 minutes fast: the timestamp stays acceptable until start + 10 minutes.
    headers = signed_headers(device.code, secret, "POST", HEARTBEAT, b"{}", timestamp=start.timestamp() + 299)
    with time_machine.travel(start, tick=False):
        assert api.post(HEARTBEAT, b"{}", content_type="application/json", **headers).status_code == 200
    with time_machine.travel(start + timedelta(seconds=590), tick=False):
        _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "replayed_nonce")


def test_it_does_not_burn_a_nonce_on_a_forged_request(api, kiosk):
    device, secret = kiosk
    good = signed_headers(device.code, secret, "POST", HEARTBEAT, b"{}", nonce="nonce-of-the-device-1")
    forged = {**good, "HTTP_X_SIGNATURE": "0" * 64}

    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **forged), "invalid_signature")
    assert api.post(HEARTBEAT, b"{}", content_type="application/json", **good).status_code == 200


def test_it_keeps_nonces_per_device(community, kiosk):
    other, other_secret = make_device(community)
    mine = SignedClient(kiosk[0].code, kiosk[1])
    theirs = SignedClient(other.code, other_secret)
    mine.sign_as = theirs.sign_as = {"nonce": "shared-nonce-value-01"}

    assert mine.post(HEARTBEAT, {}, format="json").status_code == 200
    assert theirs.post(HEARTBEAT, {}, format="json").status_code == 200


@pytest.mark.parametrize("nonce", ["short", "x" * 65, "has space in it 12345", "naïve-nonce-123456"])
def test_it_refuses_a_malformed_nonce(api, kiosk, nonce):
    device, secret = kiosk
    headers = signed_headers(device.code, secret, "POST", HEARTBEAT, b"{}")
    headers["HTTP_X_NONCE"] = nonce

    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "invalid_signature")


def test_it_refuses_an_unknown_device(api):
    headers = signed_headers("no-such-device", "whatever", "POST", HEARTBEAT, b"{}")

    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "unknown_device")


def test_it_refuses_a_device_without_a_secret(api, community):
    device = Device.objects.create(
        kind=Device.Kind.RICE_MILL, code="mill-no-secret", name="碾米机", community=community
    )
    headers = signed_headers(device.code, "", "POST", HEARTBEAT, b"{}")

    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "unknown_device")


def test_it_refuses_a_disabled_device(device_api, kiosk):
    device_disable(device=kiosk[0])

    _refused(device_api.post(HEARTBEAT, {}, format="json"), "device_disabled")


def test_it_refuses_the_old_secret_once_rotated(device_api, kiosk):
    new_secret = device_secret_rotate(device=kiosk[0])

    _refused(device_api.post(HEARTBEAT, {}, format="json"), "invalid_signature")
    assert SignedClient(kiosk[0].code, new_secret).post(HEARTBEAT, {}, format="json").status_code == 200


def test_it_refuses_when_the_stored_secret_cannot_be_decrypted(device_api, settings):
    settings.DEVICE_SECRET_KEY = "a-different-key-than-the-one-used"

    _refused(device_api.post(HEARTBEAT, {}, format="json"), "unknown_device")


def test_it_answers_garbage_headers_with_401_not_500(api):
    response = api.post(
        HEARTBEAT,
        {},
        format="json",
        HTTP_X_DEVICE_ID="x" * 500,
        HTTP_X_TIMESTAMP="９９９",  # full-width digits
        HTTP_X_NONCE="n" * 20,
        HTTP_X_SIGNATURE="z" * 64,
    )

    assert response.status_code == 401
    assert json.loads(response.content)["code"] == "invalid_signature"


@pytest.mark.parametrize("code", ["bad\x00code", "trailing-newline\n", "空格 设备"])
def test_it_treats_an_impossible_device_code_as_unknown(api, code):
    headers = signed_headers("x", "secret", "POST", HEARTBEAT, b"{}")
    headers["HTTP_X_DEVICE_ID"] = code

    _refused(api.post(HEARTBEAT, b"{}", content_type="application/json", **headers), "unknown_device")


def test_it_documents_the_signature_headers_in_the_schema(api):
    schema = api.get("/api/v1/schema/?format=json").json()

    schemes = schema["components"]["securitySchemes"]
    assert {schemes[name]["name"] for name in ("deviceId", "deviceTimestamp", "deviceNonce", "deviceSignature")} == {
        "X-Device-Id",
        "X-Timestamp",
        "X-Nonce",
        "X-Signature",
    }
    heartbeat = schema["paths"]["/api/v1/devices/heartbeat/"]["post"]
    assert heartbeat["security"] == [{"deviceId": [], "deviceTimestamp": [], "deviceNonce": [], "deviceSignature": []}]
