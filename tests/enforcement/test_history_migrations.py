"""The history renames keep their rows: migrate back before a rename, write a row the old way,
migrate forward and find it in the new history (Django's own migration-test pattern)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import Case, CaseHistory, Inspection, ReportHistory, ReportRequest
from enforcement.services import cases as case_services
from tests.enforcement.factories import make_report, make_target
from tests.support.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

APP = "enforcement"


@pytest.fixture
def migrator(to_latest):
    return lambda target: migrate([(APP, target)])


def test_it_keeps_report_events_as_report_history(world, reporter, migrator):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    old = migrator("0002_chinese_labels_on_history_actor_and_team")
    ReportEvent = old.get_model(APP, "ReportEvent")
    assert ReportEvent.objects.filter(report_id=report.pk).count() == 2  # report, dispatch
    ReportEvent.objects.create(
        report_id=report.pk,
        action="note",
        from_status="dispatched",
        to_status="dispatched",
        actor_id=world.officer_taoyan.pk,
        team_id=world.taoyan_team.pk,
        note="旧表里写的备注",
        internal=True,
    )

    migrate_to_latest()
    rows = list(ReportHistory.objects.filter(report_id=report.pk).order_by("id"))
    assert [(r.action, r.from_status, r.to_status) for r in rows] == [
        ("report", "", "reported"),
        ("dispatch", "reported", "dispatched"),
        ("note", "dispatched", "dispatched"),
    ]
    assert (rows[-1].actor, rows[-1].team, rows[-1].note, rows[-1].internal) == (
        world.officer_taoyan,
        world.taoyan_team,
        "旧表里写的备注",
        True,
    )
    assert list(report.history.order_by("id")) == rows


def test_it_gives_existing_requests_their_history(world, reporter, migrator):
    report = make_report(category=world.fishing_cat, street=world.taoyan, reporter=reporter)
    old = migrator("0003_report_history")
    Request = old.get_model(APP, "ReportRequest")
    pending = Request.objects.create(
        report_id=report.pk,
        kind="return",
        team_id=world.taoyan_team.pk,
        reason="不属本队",
        requested_by_id=world.officer_taoyan.pk,
    )
    decided_at = pending.created_at + timedelta(hours=2)
    Request.objects.filter(pk=pending.pk).update(
        status="approved", decided_by_id=world.dispatcher.pk, decided_at=decided_at, decision_note="同意"
    )

    migrate_to_latest()
    request = ReportRequest.objects.get(pk=pending.pk)
    assert [(h.action, h.from_status, h.to_status, h.actor, h.note) for h in request.history.all()] == [
        ("request", "", "pending", world.officer_taoyan, "不属本队"),
        ("approve", "pending", "approved", world.dispatcher, "同意"),
    ]
    assert request.history.last().created_at == decided_at


def test_it_gives_existing_inspections_the_steps_their_timestamps_tell(world, migrator):
    old = migrator("0004_report_request_history")
    Inspection_ = old.get_model(APP, "Inspection")
    target = make_target(world.taoyan)
    started = timezone.now() + timedelta(hours=1)  # after it was planned (created)
    done = Inspection_.objects.create(
        target_id=target.pk,
        lead_team_id=world.taoyan_team.pk,
        planned_at=started,
        status="completed",
        started_at=started,
        completed_at=started + timedelta(hours=2),
        summary="两项问题",
        created_by_id=world.officer_taoyan.pk,
    )
    planned = Inspection_.objects.create(
        target_id=target.pk, lead_team_id=world.taoyan_team.pk, planned_at=started, created_by_id=world.dispatcher.pk
    )

    migrate_to_latest()
    assert [
        (h.action, h.from_status, h.to_status, h.actor, h.note)
        for h in Inspection.objects.get(pk=done.pk).history.all()
    ] == [
        ("plan", "", "planned", world.officer_taoyan, ""),
        ("start", "planned", "in_progress", None, ""),
        ("complete", "in_progress", "completed", None, "两项问题"),
    ]
    assert [h.action for h in Inspection.objects.get(pk=planned.pk).history.all()] == ["plan"]


def test_it_keeps_case_events_as_case_history(world, migrator):
    case = case_services.case_file(actor=world.officer_market, matter=world.food, party_name="某超市", facts="过期食品")
    old = migrator("0005_inspection_history")
    CaseEvent = old.get_model(APP, "CaseEvent")
    CaseEvent.objects.create(
        case_id=case.pk, action="investigate", from_status="filed", to_status="investigating", note="旧表里的一步"
    )

    migrate_to_latest()
    rows = list(CaseHistory.objects.filter(case_id=case.pk).order_by("id"))
    case.refresh_from_db()
    assert [(r.action, r.from_status, r.to_status, r.actor, r.note) for r in rows] == [
        ("file", "", "filed", world.officer_market, case.number),
        ("pushed", "filed", "filed", None, f"省平台编号 {case.external_id}"),  # on commit, to the sandbox
        ("investigate", "filed", "investigating", None, "旧表里的一步"),
    ]
    assert list(Case.objects.get(pk=case.pk).history.order_by("id")) == rows
