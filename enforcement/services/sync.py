"""Provincial sync of problem reports and joint inspections, with the guarantees cases have
(services/cases.py): signed requests (provincial.py), pushes retried by Celery with backoff and
enqueued on commit, the province's external id kept, and status updates pulled back applied once
(by update id) and never older over newer (a conditional UPDATE on the status time).

Every step of a record's history the province should hear of raises the record's `version`; a
push sends the current version under `linli-<kind>-<id>-v<version>` and records it as pushed only
if no newer version was acknowledged meanwhile. The field mapping is in docs/provincial-sync.md."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.utils import timezone

from enforcement import provincial
from enforcement.models import (
    Finding,
    Inspection,
    InspectionHistory,
    PlatformCursor,
    ProblemReport,
    ReportHistory,
    SyncedRecord,
    SyncKind,
    SyncUpdate,
)
from enforcement.signals import problem_report_confirmed
from linli.accounts.models import User
from linli.api.errors import ForbiddenError, InvalidTransition

logger = logging.getLogger(__name__)

PushStatus = SyncedRecord.PushStatus

# Steps that change nothing the province sees (internal notes, requests to the dispatcher).
QUIET_REPORT_ACTIONS = {
    ReportHistory.Action.NOTE,
    ReportHistory.Action.REQUEST_RETURN,
    ReportHistory.Action.REQUEST_EXTENSION,
    ReportHistory.Action.RETURN_REJECTED,
    ReportHistory.Action.EXTENSION_REJECTED,
}
CONFIRMED_OUTCOMES = {
    ProblemReport.Outcome.PERSUADED,
    ProblemReport.Outcome.RECTIFIED,
    ProblemReport.Outcome.CASE_FILED,
}


def push_key(record: SyncedRecord, version: int) -> str:
    return f"linli-{record.kind}-{record.object_id}-v{version}"


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def report_payload(report: ProblemReport, version: int) -> dict:
    """A report as the province receives it: no reporter identity, contact or device secrets."""
    return {
        "record_type": "report",
        "linli_id": report.pk,
        "version": version,
        "channel": report.channel,
        "category_code": report.category.code,
        "category_name": report.category.name,
        "matter_code": report.matter.code,
        "matter_name": report.matter.name,
        "domain": report.matter.domain.name,
        "description": report.description,
        "street": report.street.name if report.street_id else "",
        "lat": str(report.lat) if report.lat is not None else None,
        "lng": str(report.lng) if report.lng is not None else None,
        "address": report.address,
        "status": report.status,
        "team": report.team.name if report.team_id else "",
        "outcome": report.outcome,
        "merged_into": report.merged_into_id,
        "reported_at": _iso(report.created_at),
        "dispatched_at": _iso(report.dispatched_at),
        "deadline_at": _iso(report.deadline_at),
        "resolved_at": _iso(report.resolved_at),
        "closed_at": _iso(report.closed_at),
    }


def inspection_payload(inspection: Inspection, version: int) -> dict:
    findings = (
        Finding.objects.filter(inspection=inspection)
        .select_related("matter", "team", "case")
        .order_by("created_at", "id")
    )
    teams = sorted(inspection.teams.all(), key=lambda team: team.pk)
    return {
        "record_type": "inspection",
        "linli_id": inspection.pk,
        "version": version,
        "kind": inspection.kind,
        "scenario": inspection.scenario.name if inspection.scenario_id else "",
        "target_name": inspection.target.name,
        "target_kind": inspection.target.kind,
        "target_credit_code": inspection.target.credit_code,
        "street": inspection.target.street.name,
        "matters": sorted(matter.code for matter in inspection.matters.all()),
        "teams": [team.name for team in teams],
        "lead_team": inspection.lead_team.name,
        "separate_inspections_replaced": len(teams),
        "status": inspection.status,
        "planned_at": _iso(inspection.planned_at),
        "started_at": _iso(inspection.started_at),
        "completed_at": _iso(inspection.completed_at),
        "summary": inspection.summary,
        "findings": [
            {
                "matter_code": finding.matter.code,
                "team": finding.team.name,
                "severity": finding.severity,
                "description": finding.description,
                "case_number": getattr(getattr(finding, "case", None), "number", None),
            }
            for finding in findings
        ],
    }


def payload_of(record: SyncedRecord, version: int) -> dict:
    if record.kind == SyncKind.REPORT:
        report = ProblemReport.objects.select_related("category", "matter__domain", "street", "team").get(
            pk=record.object_id
        )
        return report_payload(report, version)
    inspection = Inspection.objects.select_related("target__street", "lead_team", "scenario").get(pk=record.object_id)
    return inspection_payload(inspection, version)


# --- outbound ------------------------------------------------------------------------------------


def record_changed(*, kind: str, object_id: int) -> None:
    """A record the province should hear of changed: raise its version (or create its row) and push
    after commit. Called inside the transaction that changed it."""
    from enforcement.tasks import push_record

    bumped = SyncedRecord.objects.filter(kind=kind, object_id=object_id).update(
        version=F("version") + 1, push_status=PushStatus.PENDING, updated_at=timezone.now()
    )
    if not bumped:
        try:
            with transaction.atomic():
                SyncedRecord.objects.create(kind=kind, object_id=object_id)
        except IntegrityError:  # created concurrently: count this change too
            SyncedRecord.objects.filter(kind=kind, object_id=object_id).update(
                version=F("version") + 1, push_status=PushStatus.PENDING
            )
    transaction.on_commit(lambda: push_record.delay(kind, object_id))


def record_push(*, kind: str, object_id: int, final: bool = False) -> bool:
    """Push the current version of one record (no lock held during the HTTP call).

    Transient failures are recorded and re-raised for Celery to retry, except on the `final` attempt
    (then the record is marked failed). True when this call recorded a newer pushed version."""
    record = SyncedRecord.objects.filter(kind=kind, object_id=object_id).first()
    if record is None or record.is_current:
        return False
    version = record.version
    try:
        payload = payload_of(record, version)
    except (ProblemReport.DoesNotExist, Inspection.DoesNotExist):
        _push_failed(record.pk, "本系统记录已不存在", final=True)
        return False
    try:
        external_id = provincial.client().push_record(kind, payload, idempotency_key=push_key(record, version))
    except provincial.ProvincialUnavailable as exc:
        _push_failed(record.pk, str(exc), final=final)
        if final:
            return False
        raise
    except provincial.ProvincialRejected as exc:
        _push_failed(record.pk, str(exc), final=True)
        return False
    return _push_succeeded(record.pk, version, external_id)


@transaction.atomic
def _push_failed(record_id: int, error: str, *, final: bool) -> None:
    changes = {"push_attempts": F("push_attempts") + 1, "push_error": error[:500], "updated_at": timezone.now()}
    if final:
        changes["push_status"] = PushStatus.FAILED
    SyncedRecord.objects.filter(pk=record_id, pushed_version__lt=F("version")).update(**changes)
    logger.warning("provincial sync of record %s failed: %s", record_id, error)


@transaction.atomic
def _push_succeeded(record_id: int, version: int, external_id: str) -> bool:
    record = SyncedRecord.objects.select_for_update().get(pk=record_id)
    if record.pushed_version >= version:
        return False  # a concurrent push of this (or a newer) version was recorded first
    if record.external_id and record.external_id != external_id:
        logger.warning("province answered %s for %s, keeping %s", external_id, record, record.external_id)
    record.external_id = record.external_id or external_id
    record.pushed_version = version
    record.push_attempts += 1
    record.pushed_at = timezone.now()
    record.push_error = ""
    record.push_status = PushStatus.PUSHED if record.is_current else PushStatus.PENDING
    record.save(
        update_fields=[
            "external_id",
            "pushed_version",
            "push_attempts",
            "pushed_at",
            "push_error",
            "push_status",
            "updated_at",
        ]
    )
    return True


@transaction.atomic
def record_push_again(*, record: SyncedRecord, actor: User) -> SyncedRecord:
    """A dispatcher retries a push that ran out of retries (or was refused)."""
    from enforcement import selectors
    from enforcement.tasks import push_record

    if not selectors.is_dispatcher(actor):
        raise ForbiddenError("只有区指挥中心可以重新推送", code="not_dispatcher")
    record = SyncedRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_current:
        raise InvalidTransition("已推送最新版本", code="already_pushed")
    if record.push_status != PushStatus.FAILED:
        raise InvalidTransition("正在推送，请稍后查看", code="push_in_progress")
    record.push_status = PushStatus.PENDING
    record.save(update_fields=["push_status", "updated_at"])
    transaction.on_commit(lambda: push_record.delay(record.kind, record.object_id))
    return record


def records_stuck_in_push(now=None) -> list[tuple[str, int]]:
    """Pending pushes untouched for over an hour: their task was lost (broker restart, …)."""
    now = now or timezone.now()
    stale = SyncedRecord.objects.filter(
        push_status=PushStatus.PENDING, pushed_version__lt=F("version"), updated_at__lt=now - timedelta(hours=1)
    )
    return list(stale.values_list("kind", "object_id")[:100])


# --- inbound -------------------------------------------------------------------------------------


def sync_update_apply(kind: str, update: provincial.CaseUpdate) -> bool:
    """Apply a pulled update once (the (kind, update id) row is unique) and never an older status
    over a newer one: the status is written by a conditional UPDATE that only matches while the
    stored status time is older, so two pullers racing cannot go backwards either."""
    with transaction.atomic():
        record = SyncedRecord.objects.filter(kind=kind, external_id=update.external_id).first()
        try:
            with transaction.atomic():
                row = SyncUpdate.objects.create(
                    kind=kind,
                    update_id=update.update_id,
                    record=record,
                    external_id=update.external_id,
                    status=update.status,
                    occurred_at=update.occurred_at,
                    note=update.note,
                    payload=update.raw,
                )
        except IntegrityError:
            return False  # seen before (a replay, or another puller got it first)
        if record is None:
            return False
        applied = (
            SyncedRecord.objects.filter(pk=record.pk)
            .filter(Q(platform_status_at__isnull=True) | Q(platform_status_at__lt=update.occurred_at))
            .update(platform_status=update.status, platform_status_at=update.occurred_at, updated_at=timezone.now())
        )
        if applied:
            SyncUpdate.objects.filter(pk=row.pk).update(applied=True)
        return bool(applied)


def feed_name(kind: str) -> str:
    return f"{kind}_updates"


def sync_updates_pull(kind: str) -> int:
    """Beat: fetch one kind's updates since its saved cursor, apply each once, then move the cursor."""
    cursor_row, _ = PlatformCursor.objects.get_or_create(name=feed_name(kind))
    updates, cursor = provincial.client().fetch_record_updates(kind, cursor_row.cursor)
    applied = sum(sync_update_apply(kind, update) for update in updates)
    if cursor and cursor != cursor_row.cursor:
        PlatformCursor.objects.filter(name=feed_name(kind)).update(cursor=cursor, updated_at=timezone.now())
    return applied


# --- hooks: every recorded step of a report or an inspection -------------------------------------


def _on_report_step(sender, instance: ReportHistory, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.action in QUIET_REPORT_ACTIONS:
        return
    record_changed(kind=SyncKind.REPORT, object_id=instance.report_id)
    if instance.action == ReportHistory.Action.OUTCOME:
        report = ProblemReport.objects.get(pk=instance.report_id)
        if report.outcome in CONFIRMED_OUTCOMES:
            problem_report_confirmed.send(sender=ProblemReport, report=report)


def _on_inspection_step(sender, instance: InspectionHistory, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        record_changed(kind=SyncKind.INSPECTION, object_id=instance.inspection_id)


def connect() -> None:
    post_save.connect(_on_report_step, sender=ReportHistory, dispatch_uid="enforcement.sync.report_step")
    post_save.connect(_on_inspection_step, sender=InspectionHistory, dispatch_uid="enforcement.sync.inspection_step")
