"""The provincial 「大综合一体化」 case platform (浙江省行政执法监管平台) — not our own platform
(`linli/`): the outbound HTTP client cases are pushed through, and the sandbox receiver that stands
in for the province when ENFORCEMENT_PLATFORM_URL is empty (the env var names are the operators').

Every request is signed: `X-Linli-Timestamp: <unix seconds>` and
`X-Linli-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; pushes carry an
`Idempotency-Key` (linli-case-<year>-<seq>) so a retried push is received once.

    POST {base}/cases                    {case…}                 → 200/201 {"external_id": "…"}
    GET  {base}/cases/updates?since=<c>                          → {"updates": [...], "cursor": "…"}
    POST {base}/reports | /inspections   {record…}               → 200/201 {"external_id": "…"}
    GET  {base}/reports/updates | /inspections/updates?since=<c> → {"updates": [...], "cursor": "…"}

Reports and inspections are pushed again when they change, each version under its own key
(linli-report-<id>-v<version>); the province answers with the record's one external id
(docs/provincial-sync.md has the field mapping).

Connection problems, timeouts, 429 and 5xx are `ProvincialUnavailable` (retry later); any other
answer the province gives is `ProvincialRejected` (retrying will not help).
"""

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import requests
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from enforcement import conf


class ProvincialError(Exception):
    pass


class ProvincialUnavailable(ProvincialError):
    """Transient: the provincial platform could not be reached or asked us to come back later."""


class ProvincialRejected(ProvincialError):
    """Permanent: the provincial platform refused the request or answered nonsense."""


@dataclass(frozen=True)
class CaseUpdate:
    """One status update of a pushed case, as the province reports it."""

    update_id: str
    external_id: str
    status: str
    occurred_at: datetime
    note: str
    raw: dict


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def parse_updates(data) -> tuple[list[CaseUpdate], str]:
    if not isinstance(data, dict) or not isinstance(data.get("updates"), list):
        raise ProvincialRejected("状态回传格式不正确")
    updates = []
    for item in data["updates"]:
        try:
            occurred = parse_datetime(str(item["occurred_at"]))
            if occurred is None or occurred.tzinfo is None:
                raise ValueError(item["occurred_at"])
            updates.append(
                CaseUpdate(
                    update_id=str(item["update_id"])[:64],
                    external_id=str(item["external_id"])[:64],
                    status=str(item["status"])[:40],
                    occurred_at=occurred,
                    note=str(item.get("note") or "")[:400],
                    raw=item,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProvincialRejected(f"状态回传条目不正确：{exc}") from None
    return updates, str(data.get("cursor") or "")


class ProvincialClient:
    """Talks to the province over HTTPS, every request HMAC-signed."""

    def __init__(self, base_url: str, secret: str, timeout: float):
        self.base_url, self.secret, self.timeout = base_url, secret, timeout

    def _headers(self, body: bytes) -> dict:
        timestamp = str(int(time.time()))
        return {
            "Content-Type": "application/json; charset=utf-8",
            "X-Linli-Timestamp": timestamp,
            "X-Linli-Signature": sign(self.secret, timestamp, body),
        }

    def _send(self, method: str, path: str, *, body: bytes = b"", params=None, headers=None) -> dict:
        try:
            response = requests.request(
                method,
                f"{self.base_url}{path}",
                data=body or None,
                params=params,
                headers={**self._headers(body), **(headers or {})},
                timeout=self.timeout,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ProvincialUnavailable(f"省平台无法连接：{type(exc).__name__}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise ProvincialUnavailable(f"省平台暂不可用（HTTP {response.status_code}）")
        try:
            data = response.json()
        except ValueError:
            raise ProvincialRejected(f"省平台返回无法解析（HTTP {response.status_code}）") from None
        if response.status_code == 409 and isinstance(data, dict) and data.get("external_id"):
            return data  # already received under this idempotency key
        if response.status_code >= 400:
            message = data.get("message") if isinstance(data, dict) else None
            raise ProvincialRejected(f"省平台拒绝（HTTP {response.status_code}）：{message or ''}"[:400])
        return data

    def push_case(self, payload: dict, *, idempotency_key: str) -> str:
        data = self._send("POST", "/cases", body=encode(payload), headers={"Idempotency-Key": idempotency_key})
        external_id = data.get("external_id") if isinstance(data, dict) else None
        if not external_id:
            raise ProvincialRejected("省平台未返回 external_id")
        return str(external_id)[:64]

    def fetch_updates(self, cursor: str) -> tuple[list[CaseUpdate], str]:
        return parse_updates(self._send("GET", "/cases/updates", params={"since": cursor} if cursor else None))

    def push_record(self, kind: str, payload: dict, *, idempotency_key: str) -> str:
        """Push one version of a report or an inspection (`kind`: report / inspection)."""
        data = self._send("POST", f"/{kind}s", body=encode(payload), headers={"Idempotency-Key": idempotency_key})
        external_id = data.get("external_id") if isinstance(data, dict) else None
        if not external_id:
            raise ProvincialRejected("省平台未返回 external_id")
        return str(external_id)[:64]

    def fetch_record_updates(self, kind: str, cursor: str) -> tuple[list[CaseUpdate], str]:
        return parse_updates(self._send("GET", f"/{kind}s/updates", params={"since": cursor} if cursor else None))


class SandboxProvincialClient:
    """Stands in for the province: records each push (signed like the real one) and answers with an
    id; it never sends updates."""

    def __init__(self, secret: str):
        self.secret = secret or "sandbox"

    def push_case(self, payload: dict, *, idempotency_key: str) -> str:
        from enforcement.models import SandboxPush

        existing = SandboxPush.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing.external_id
        body = encode(payload)
        try:
            with transaction.atomic():
                push = SandboxPush.objects.create(
                    external_id=f"SBX-{uuid.uuid4().hex[:12].upper()}",
                    idempotency_key=idempotency_key,
                    body=payload,
                    signature=sign(self.secret, str(int(time.time())), body),
                )
        except IntegrityError:
            push = SandboxPush.objects.get(idempotency_key=idempotency_key)
        return push.external_id

    def fetch_updates(self, cursor: str) -> tuple[list[CaseUpdate], str]:
        return [], cursor

    def push_record(self, kind: str, payload: dict, *, idempotency_key: str) -> str:
        """Like the province: one external id per record whatever its version. The first version's
        receipt holds that id; later versions are kept as `<id>#v<version>` (receipts are unique)."""
        from enforcement.models import SandboxPush

        existing = SandboxPush.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing.external_id.split("#")[0]
        record_key = idempotency_key.rsplit("-v", 1)[0]
        first = SandboxPush.objects.filter(idempotency_key__startswith=f"{record_key}-v").order_by("id").first()
        external_id = first.external_id.split("#")[0] if first else f"SBX-{uuid.uuid4().hex[:12].upper()}"
        label = external_id if first is None else f"{external_id}#v{idempotency_key.rsplit('-v', 1)[-1]}"
        body = encode(payload)
        try:
            with transaction.atomic():
                SandboxPush.objects.create(
                    external_id=label[:64],
                    idempotency_key=idempotency_key,
                    body=payload,
                    signature=sign(self.secret, str(int(time.time())), body),
                )
        except IntegrityError:
            pass  # a concurrent push of the same version (or record) got there first
        return external_id

    def fetch_record_updates(self, kind: str, cursor: str) -> tuple[list[CaseUpdate], str]:
        return [], cursor


def client() -> ProvincialClient | SandboxProvincialClient:
    """The client of the configured province, or the sandbox when no URL is configured."""
    url = conf.provincial_url()
    if not url:
        return SandboxProvincialClient(conf.provincial_secret())
    return ProvincialClient(url, conf.provincial_secret(), conf.provincial_timeout())
