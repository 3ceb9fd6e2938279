"""The platform's status-change mechanism, on a real flow (work orders): table, lock, history, 409."""

import pytest
from django.db import transaction

from linli import workflow
from linli.api.errors import InvalidTransition
from residents.models import WorkOrder, WorkOrderHistory
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db
Action, Status = WorkOrder.Action, WorkOrder.Status


@pytest.fixture
def order(community):
    reporter, room = rf.make_verified_resident(community)
    return rf.make_work_order(reporter, room=room)


@pytest.fixture
def handler(community):
    return rf.make_property_manager(community)


def test_it_moves_the_status_saves_the_changes_and_writes_one_history_row(order, handler):
    with transaction.atomic():
        row = workflow.transition(order, Action.ASSIGN, actor=handler, note="派给刘师傅", assignee=handler)

    order.refresh_from_db()
    assert (order.status, order.assignee) == (Status.ASSIGNED, handler)
    assert isinstance(row, WorkOrderHistory)
    assert (row.work_order, row.action, row.from_status, row.to_status) == (order, "assign", "submitted", "assigned")
    assert (row.actor, row.note) == (handler, "派给刘师傅")
    assert list(order.history.values_list("action", flat=True)).count("assign") == 1


def test_it_refuses_what_the_table_does_not_allow_naming_the_current_status(order):
    with pytest.raises(InvalidTransition) as refused, transaction.atomic():
        workflow.transition(order, Action.RESOLVE)

    assert refused.value.code == "invalid_transition"
    assert refused.value.status_code == 409
    assert refused.value.message == "工单当前为「待受理」，不能处理完成"
    assert refused.value.extra == {"status": "submitted"}
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert not order.history.filter(action="resolve").exists()


def test_it_decides_on_the_status_in_the_database_not_a_stale_copy(order):
    stale = WorkOrder.objects.get(pk=order.pk)
    with transaction.atomic():
        workflow.transition(order, Action.CANCEL)

    with pytest.raises(InvalidTransition, match="已撤销"), transaction.atomic():
        workflow.transition(stale, Action.CANCEL)  # re-read under the lock: already cancelled
    assert order.history.filter(action="cancel").count() == 1


def test_locked_means_the_caller_already_read_the_row_under_its_lock(order, django_assert_num_queries):
    with transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
        # UPDATE the order, INSERT the history row: no second lock.
        with django_assert_num_queries(2):
            workflow.transition(locked, Action.CANCEL, locked=True)


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_it_must_run_inside_a_transaction(order):
    with pytest.raises(RuntimeError, match="atomic"):
        workflow.transition(order, Action.CANCEL)


def test_check_refuses_early_and_can_lists_what_is_allowed(order):
    workflow.check(order, Action.CANCEL)
    with pytest.raises(InvalidTransition):
        workflow.check(order, Action.CONFIRM)
    assert workflow.can(order, Action.ASSIGN) and not workflow.can(order, Action.START)
    assert sorted(workflow.available_actions(order)) == ["assign", "cancel"]


def test_record_step_keeps_the_status_and_the_first_step_comes_from_nothing(order, handler):
    escalated = workflow.record_step(order, Action.ESCALATE, actor=handler, note="超时")
    created = workflow.record_step(order, Action.SUBMIT, from_status="")

    assert (escalated.from_status, escalated.to_status, escalated.action) == ("submitted", "submitted", "escalate")
    assert (created.from_status, created.to_status) == ("", "submitted")


def test_it_cuts_a_long_note_to_what_the_history_keeps(order):
    with transaction.atomic():
        row = workflow.transition(order, Action.CANCEL, note="很" * 800)
    assert len(row.note) == WorkOrderHistory._meta.get_field("note").max_length


def test_an_unknown_action_is_a_programming_error(order):
    with pytest.raises(ValueError, match="unknown workflow action"):
        workflow.check(order, "teleport")
