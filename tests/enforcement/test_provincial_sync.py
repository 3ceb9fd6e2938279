"""Provincial sync of problem reports and joint inspections: signed, retried, one external id kept
across versions, updates pulled back applied once and never older over newer — against a local
stub of the province (and the built-in sandbox without a URL)."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import PlatformCursor, SandboxPush, SyncedRecord, SyncUpdate
from enforcement.services import inspections as inspection_services
from enforcement.services import reports as report_services
from enforcement.signals import problem_report_confirmed
from enforcement.tasks import pull_sync_updates, push_record
from tests.enforcement.factories import make_report, make_target
from tests.support.stub_server import StubServer

pytestmark = pytest.mark.django_db

SECRET = "province-shared-secret"
SYNC = "/api/v1/staff/enforcement/sync/"


@pytest.fixture
def province(settings):
    with StubServer() as stub:
        settings.ENFORCEMENT_PLATFORM_URL = stub.url + "/api"
        settings.ENFORCEMENT_PLATFORM_SECRET = SECRET
        settings.ENFORCEMENT_PLATFORM_TIMEOUT_SECONDS = 2
        yield stub


def signed(request) -> bool:
    timestamp = request.headers["X-Linli-Timestamp"]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    return request.headers["X-Linli-Signature"] == f"sha256={expected}"


def posts(stub, path):
    return [r for r in stub.requests if r.method == "POST" and r.path == path]


def test_a_report_is_pushed_signed_retried_and_keeps_its_external_id_across_versions(
    world, province, reporter, django_capture_on_commit_callbacks
):
    answers = iter([(503, {"message": "busy"}), (201, {"external_id": "ZJ-R-1"}), (200, {"external_id": "ZJ-R-1"})])
    province.route("POST", "/api/reports", lambda request: next(answers))
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    record = SyncedRecord.objects.get(kind="report", object_id=report.pk)
    assert (record.external_id, record.pushed_version, record.version, record.push_status) == (
        "ZJ-R-1",
        record.version,
        record.version,
        "pushed",
    )
    first = posts(province, "/api/reports")
    assert len(first) == 2 and all(signed(r) for r in first)
    assert {r.headers["Idempotency-Key"] for r in first} == {f"linli-report-{report.pk}-v{record.version}"}
    body = first[-1].json
    assert (body["linli_id"], body["matter_code"], body["street"]) == (report.pk, "NY-001", "陶堰街道")
    assert "reporter" not in body and "contact_phone" not in body  # the province gets no reporter identity

    # A later step is a new version, pushed under its own key; the external id stays.
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_accept(report=report, actor=world.officer_taoyan)
    record.refresh_from_db()
    assert (record.external_id, record.push_status) == ("ZJ-R-1", "pushed")
    assert record.pushed_version == record.version
    last = posts(province, "/api/reports")[-1]
    assert last.headers["Idempotency-Key"] == f"linli-report-{report.pk}-v{record.version}"
    assert last.json["status"] == "accepted"

    # A duplicate task (a replayed delivery) does not call the province again.
    calls = len(province.requests)
    assert push_record.delay("report", report.pk).get() is False
    assert len(province.requests) == calls


def test_a_refused_push_is_failed_and_only_a_dispatcher_pushes_it_again(
    world, province, as_user, django_capture_on_commit_callbacks
):
    province.route("POST", "/api/inspections", lambda request: (422, {"message": "缺少检查对象信用代码"}))
    target = make_target(world.taoyan)
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspection_services.inspection_plan(
            actor=world.officer_taoyan, target=target, matters=[world.fishing], planned_at=timezone.now()
        )
    record = SyncedRecord.objects.get(kind="inspection", object_id=inspection.pk)
    assert (record.push_status, record.push_attempts, record.external_id) == ("failed", 1, None)
    assert "缺少检查对象信用代码" in record.push_error

    officer = as_user(world.officer_taoyan)
    assert officer.get(f"{SYNC}{record.pk}/").json()["push_status"] == "failed"  # its team's inspection
    assert officer.post(f"{SYNC}{record.pk}/push/").json()["code"] == "not_dispatcher"
    assert as_user(world.officer_fushan).get(f"{SYNC}{record.pk}/").status_code == 404

    province.route("POST", "/api/inspections", lambda request: (201, {"external_id": "ZJ-I-7"}))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.dispatcher).post(f"{SYNC}{record.pk}/push/")
    assert (response.status_code, response.json()["push_status"]) == (200, "pending")  # pushed after commit
    record.refresh_from_db()
    assert (record.external_id, record.is_current, record.push_status) == ("ZJ-I-7", True, "pushed")
    sent = posts(province, "/api/inspections")[-1].json
    assert (sent["teams"], sent["separate_inspections_replaced"]) == (["陶堰综合执法队"], 1)
    assert as_user(world.dispatcher).post(f"{SYNC}{record.pk}/push/").json()["code"] == "already_pushed"


def test_without_a_url_the_sandbox_keeps_one_external_id_per_record(
    world, settings, reporter, django_capture_on_commit_callbacks
):
    settings.ENFORCEMENT_PLATFORM_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    record = SyncedRecord.objects.get(kind="report", object_id=report.pk)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_accept(report=report, actor=world.officer_taoyan)
    record.refresh_from_db()
    receipts = SandboxPush.objects.filter(idempotency_key__startswith=f"linli-report-{report.pk}-v")
    assert receipts.count() >= 2
    assert {r.external_id.split("#")[0] for r in receipts} == {record.external_id}
    assert record.is_current


def update(update_id, external_id, status, at):
    return {"update_id": update_id, "external_id": external_id, "status": status, "occurred_at": at, "note": "省回传"}


def test_updates_are_applied_once_and_never_older_over_newer(world, province, reporter):
    report = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    SyncedRecord.objects.filter(kind="report", object_id=report.pk).update(external_id="ZJ-R-1")
    inspection = inspection_services.inspection_plan(
        actor=world.officer_taoyan, target=make_target(world.taoyan), matters=[world.fishing], planned_at=timezone.now()
    )
    SyncedRecord.objects.filter(kind="inspection", object_id=inspection.pk).update(external_id="ZJ-I-1")
    feeds = {
        "/api/reports/updates": {
            "": {
                "updates": [
                    update("r1", "ZJ-R-1", "received", "2025-05-01T10:00:00+08:00"),
                    update("r3", "ZJ-R-1", "archived", "2025-05-03T10:00:00+08:00"),
                    update("r2", "ZJ-R-1", "reviewing", "2025-05-02T10:00:00+08:00"),  # older, arrives later
                    update("r9", "ZJ-unknown", "received", "2025-05-03T10:00:00+08:00"),
                ],
                "cursor": "c1",
            },
            "c1": {"updates": [update("r3", "ZJ-R-1", "archived", "2025-05-03T10:00:00+08:00")], "cursor": "c2"},
        },
        "/api/inspections/updates": {
            "": {"updates": [update("r1", "ZJ-I-1", "filed", "2025-05-01T10:00:00+08:00")], "cursor": "k1"},
            "k1": {"updates": [], "cursor": "k1"},
        },
    }
    for path, pages in feeds.items():
        province.route("GET", path, lambda r, pages=pages: (200, pages[(r.query.get("since") or [""])[0]]))

    assert pull_sync_updates.delay().get() == 3  # r1 and r3 of the report, r1 of the inspection (its own feed)
    assert pull_sync_updates.delay().get() == 0  # r3 replayed: already seen
    report_record = SyncedRecord.objects.get(kind="report", object_id=report.pk)
    assert report_record.platform_status == "archived"
    assert SyncedRecord.objects.get(kind="inspection", object_id=inspection.pk).platform_status == "filed"
    assert dict(SyncUpdate.objects.filter(kind="report").values_list("update_id", "applied")) == {
        "r1": True,
        "r3": True,
        "r2": False,
        "r9": False,
    }
    assert dict(PlatformCursor.objects.values_list("name", "cursor")) == {
        "report_updates": "c2",
        "inspection_updates": "k1",
    }
    assert all(signed(r) for r in province.requests)


def test_a_broken_feed_changes_nothing(world, province):
    province.route("GET", "/api/reports/updates", lambda r: (200, {"updates": [{"update_id": "x"}]}))
    province.route("GET", "/api/inspections/updates", lambda r: (503, {}))
    assert pull_sync_updates.delay().get() == 0
    assert SyncUpdate.objects.count() == 0
    assert set(PlatformCursor.objects.values_list("cursor", flat=True)) <= {""}


def test_a_confirmed_outcome_sends_problem_report_confirmed_once(world, reporter):
    heard = []

    def receiver(sender, report, **kwargs):
        heard.append((report.pk, report.outcome))

    problem_report_confirmed.connect(receiver)
    try:
        real = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
        bogus = make_report(world, category=world.fishing_cat, street=world.taoyan, description="误报")
        for report, outcome in ((real, "rectified"), (bogus, "not_valid")):
            report.refresh_from_db()
            report_services.report_accept(report=report, actor=world.officer_taoyan)
            report_services.report_handle(report=report, actor=world.officer_taoyan)
            report_services.report_outcome(report=report, actor=world.officer_taoyan, outcome=outcome)
    finally:
        problem_report_confirmed.disconnect(receiver)
    assert heard == [(real.pk, "rectified")]


def test_pushes_left_pending_for_an_hour_are_enqueued_again(world, reporter):
    from enforcement.services.sync import records_stuck_in_push

    report = make_report(world, category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    SyncedRecord.objects.filter(kind="report", object_id=report.pk).update(
        pushed_version=0, push_status="pending", updated_at=timezone.now() - timedelta(hours=2)
    )
    assert records_stuck_in_push() == [("report", report.pk)]
