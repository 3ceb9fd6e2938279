"""Pretend to be a device: sign and send one request with the reference client (linli/devices/client.py).

    python manage.py device_simulator --device mill-baiyun-01 --secret S heartbeat
    python manage.py device_simulator --device mill-baiyun-01 --secret S commands
    python manage.py device_simulator --device mill-baiyun-01 --secret S ack 42 done '{"dispensed_g": 1000}'
    python manage.py device_simulator --device mill-baiyun-01 --secret S ack next done    # the oldest pending one
    python manage.py device_simulator --device kiosk-1 --secret S event kiosk.measurement '{"session_token": "…"}'
    python manage.py device_simulator --device gate-1 --secret S post /api/v1/devices/gate/verify/ '{"code": "…"}'

`post` sends a signed POST to a device endpoint an app adds besides the gateway's own (a gate's
synchronous verify, say).

The secret may come from the DEVICE_SECRET environment variable instead of --secret (keeps it out of
the shell history). Without either, the command reads the device's stored secret from this
installation's database (an operator on the server, e.g. trying the demo: `python manage.py
device_simulator --device baiyun-boai-drug heartbeat`).
Prints the JSON answer; a 4xx/5xx answer is printed and the command fails.
"""

import argparse
import json
import os

from django.core.management.base import BaseCommand, CommandError

from linli.devices.client import DeviceApiError, DeviceClient


def _json_object(raw: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise CommandError(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise CommandError("the JSON must be an object, e.g. '{\"weight_g\": 1000}'")
    return value


def _command_id(raw: str) -> int | str:
    if raw == "next":
        return raw
    try:
        return int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a command id or 'next', not {raw!r}") from None


def _device_path(raw: str) -> str:
    if not raw.startswith("/api/v1/devices/"):
        raise argparse.ArgumentTypeError(f"a device endpoint under /api/v1/devices/, not {raw!r}")
    return raw


def _stored_secret(code: str) -> str:
    from linli.devices.crypto import SecretUnreadable, decrypt_secret
    from linli.devices.models import Device

    device = Device.objects.filter(code=code).first()
    if device is None or not device.secret_encrypted:
        raise CommandError(f"no device {code!r} with a secret here: give it with --secret or $DEVICE_SECRET")
    try:
        return decrypt_secret(device.secret_encrypted)
    except SecretUnreadable:
        raise CommandError(f"the stored secret of {code!r} cannot be read (DEVICE_SECRET_KEY changed?)") from None


class Command(BaseCommand):
    help = "Send one signed device request (heartbeat, commands, ack, event) to a Linli server."

    def add_arguments(self, parser):
        parser.add_argument("--device", required=True, help="device code (X-Device-Id)")
        parser.add_argument("--secret", default=os.environ.get("DEVICE_SECRET"), help="secret (or $DEVICE_SECRET)")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="server origin")
        actions = parser.add_subparsers(dest="action", required=True)
        beat = actions.add_parser("heartbeat", help="POST /api/v1/devices/heartbeat/")
        beat.add_argument("--firmware", help="firmware version")
        beat.add_argument("--battery", type=int, help="battery percentage")
        actions.add_parser("commands", help="GET /api/v1/devices/commands/")
        ack = actions.add_parser("ack", help="POST /api/v1/devices/commands/ID/ack/")
        ack.add_argument("command_id", type=_command_id, help="the command's id, or `next`: the oldest pending one")
        ack.add_argument("status", choices=["done", "failed"])
        ack.add_argument("result", nargs="?", default="{}", help="JSON object")
        event = actions.add_parser("event", help="POST /api/v1/devices/events/")
        event.add_argument("type", help="event type, e.g. kiosk.measurement")
        event.add_argument("payload", nargs="?", default="{}", help="JSON object")
        event.add_argument("--event-id", help="reuse an id to resend the same event (default: random)")
        post = actions.add_parser("post", help="POST PATH: another device endpoint, e.g. /api/v1/devices/gate/verify/")
        post.add_argument("path", type=_device_path, help="the path, starting with /api/v1/devices/")
        post.add_argument("body", nargs="?", default="{}", help="JSON object")

    def handle(self, *args, **options):
        secret = options["secret"] or _stored_secret(options["device"])
        client = DeviceClient(options["base_url"], options["device"], secret)
        action = options["action"]
        try:
            if action == "heartbeat":
                telemetry = {}
                if options["firmware"]:
                    telemetry["firmware_version"] = options["firmware"]
                if options["battery"] is not None:
                    telemetry["battery_pct"] = options["battery"]
                answer = client.heartbeat(**telemetry)
            elif action == "commands":
                answer = client.commands()
            elif action == "ack":
                command_id = options["command_id"]
                if command_id == "next":
                    pending = client.commands()["results"]  # oldest first
                    if not pending:
                        raise CommandError(f"{options['device']} has no pending command")
                    command_id = pending[0]["id"]
                answer = client.ack(command_id, options["status"], _json_object(options["result"]))
            elif action == "post":
                answer = client.request("POST", options["path"], json_body=_json_object(options["body"]))
            else:
                answer = client.event(options["type"], _json_object(options["payload"]), event_id=options["event_id"])
        except DeviceApiError as exc:
            self.stderr.write(json.dumps(exc.body, ensure_ascii=False, indent=2))
            raise CommandError(f"the server answered {exc.status_code} {exc.code}") from None
        except OSError as exc:  # connection refused, timeouts (requests' errors are OSErrors)
            raise CommandError(f"cannot reach {options['base_url']}: {exc}") from None
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
