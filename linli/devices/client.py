"""Reference client for the device API — what a device (or a vendor's firmware) must do, in ~100 lines.

    from linli.devices.client import DeviceClient

    client = DeviceClient("https://linli.example.cn", "mill-baiyun-01", "<secret shown once in the admin>")
    client.heartbeat(firmware_version="2.3.1", battery_pct=87)        # every heartbeat_interval_seconds
    for command in client.commands()["results"]:                       # poll when pending_commands > 0
        ...                                                            # do it (dispense, open the door…)
        client.ack(command["id"], "done", {"dispensed_g": 1000})       # or "failed"; safe to repeat
    client.event("cabinet.door_closed", {"session": 7, "slots": [...]}, event_id="door-7")

Signing (linli/devices/signing.py): serialise the body first, then sign exactly those bytes:

    X-Signature = hex HMAC-SHA256(secret, "METHOD\\nPATH?QUERY\\nX-Timestamp\\nX-Nonce\\nhex SHA-256(body)")

with a fresh random X-Nonce and the current Unix time in X-Timestamp for every request, retries
included (a retry re-signs; the gateway refuses a nonce it has seen). Acks and events are idempotent
(the command id, the `event_id`), so retrying after a timeout is always safe.
Errors come back as {"code", "message", "fields"?}: `stale_timestamp` means fix the device clock
(heartbeat answers carry server_time), `invalid_signature` a wrong secret or a changed body.
"""

import json
import secrets
import time
import uuid
from datetime import UTC, datetime

import requests

from linli.devices import signing


class DeviceApiError(Exception):
    def __init__(self, response: requests.Response):
        self.response = response
        self.status_code = response.status_code
        try:
            self.body = response.json()
        except ValueError:
            self.body = {"code": "error", "message": response.text[:200]}
        self.code = self.body.get("code")
        super().__init__(f"{response.status_code} {self.code}: {self.body.get('message')}")


class DeviceClient:
    def __init__(self, base_url: str, device_code: str, secret: str, *, timeout: float = 10, session=None, clock=None):
        self.base_url = base_url.rstrip("/")
        self.device_code = device_code
        self.secret = secret
        self.timeout = timeout
        self.session = session or requests.Session()
        self.clock = clock or time.time  # seconds since the epoch; devices must keep it NTP-synced

    # --- signing -------------------------------------------------------------------------
    def signed_headers(self, method: str, path_with_query: str, body: bytes, *, timestamp=None, nonce=None) -> dict:
        timestamp = str(int(self.clock() if timestamp is None else timestamp))
        nonce = nonce or secrets.token_hex(16)
        return {
            signing.DEVICE_ID: self.device_code,
            signing.TIMESTAMP: timestamp,
            signing.NONCE: nonce,
            signing.SIGNATURE: signing.sign(self.secret, method, path_with_query, timestamp, nonce, body),
        }

    def prepare(self, method: str, path: str, *, json_body=None, params=None) -> requests.PreparedRequest:
        """Build and sign a request without sending it (tests use this to tamper with one)."""
        body = b"" if json_body is None else json.dumps(json_body, ensure_ascii=False).encode()
        request = requests.Request(method.upper(), self.base_url + path, params=params, data=body or None)
        prepared = self.session.prepare_request(request)
        if body:
            prepared.headers["Content-Type"] = "application/json"
        # path_url is the path and query exactly as they go on the wire.
        prepared.headers.update(self.signed_headers(prepared.method, prepared.path_url, body))
        return prepared

    def send(self, prepared: requests.PreparedRequest) -> requests.Response:
        return self.session.send(prepared, timeout=self.timeout)

    def request(self, method: str, path: str, *, json_body=None, params=None) -> dict:
        response = self.send(self.prepare(method, path, json_body=json_body, params=params))
        if response.status_code >= 400:
            raise DeviceApiError(response)
        return response.json()

    # --- the device API ------------------------------------------------------------------
    def heartbeat(self, **telemetry) -> dict:
        """firmware_version=, battery_pct=, signal_dbm=, telemetry={...}; all optional."""
        return self.request("POST", "/api/v1/devices/heartbeat/", json_body=telemetry)

    def commands(self, *, page: int | None = None) -> dict:
        return self.request("GET", "/api/v1/devices/commands/", params={"page": page} if page else None)

    def ack(self, command_id: int, status: str, result: dict | None = None) -> dict:
        body = {"status": status, "result": result or {}}
        return self.request("POST", f"/api/v1/devices/commands/{int(command_id)}/ack/", json_body=body)

    def event(self, type: str, payload: dict, *, event_id: str | None = None, occurred_at: datetime | None = None):
        body = {
            "event_id": event_id or uuid.uuid4().hex,
            "type": type,
            "occurred_at": (occurred_at or datetime.fromtimestamp(self.clock(), UTC)).isoformat(),
            "payload": payload,
        }
        return self.request("POST", "/api/v1/devices/events/", json_body=body)
