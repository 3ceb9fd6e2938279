"""Work orders and household verifications on the platform workflow: 409s that name the current
state, a history row for every step, and the migration that keeps the old timeline rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from residents import services
from residents.models import Verification
from tests import factories
from tests.residents import factories as rf
from tests.support.migrations import migrate

MINE, QUEUE = "/api/v1/residents/work-orders/", "/api/v1/staff/work-orders/"
APPLY, REVIEW = "/api/v1/residents/verifications/", "/api/v1/staff/verifications/"


def test_it_names_the_current_state_when_a_work_order_step_is_not_allowed(as_user, owner, room, category, handler):
    order = rf.make_work_order(owner, room=room, category=category, upto="closed", handler=handler)
    response = as_user(owner).post(f"{MINE}{order.pk}/cancel/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "工单当前为「已办结」，不能撤销",
        "status": "closed",
    }
    response = as_user(handler).post(f"{QUEUE}{order.pk}/assign/", {"assignee": handler.pk}, format="json")
    assert response.json() == {
        "code": "invalid_transition",
        "message": "工单当前为「已办结」，不能派单",
        "status": "closed",
    }


def test_it_writes_a_history_row_for_every_work_order_step(owner, room, category, handler, staff):
    order = rf.make_work_order(owner, room=room, category=category, upto="closed", handler=handler)
    services.work_order_follow_up(work_order=order, actor=staff, note="居民满意")
    steps = list(order.history.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("submit", "", "submitted", owner.pk),
        ("assign", "submitted", "assigned", handler.pk),
        ("start", "assigned", "in_progress", handler.pk),
        ("resolve", "in_progress", "resolved", handler.pk),
        ("confirm", "resolved", "closed", owner.pk),
        ("follow_up", "closed", "closed", staff.pk),
    ]


def apply(client, room):
    body = {"room": room.pk, "relation": "owner", "real_name": "张建国", "phone": "13905700001"}
    return client.post(APPLY, body, format="json")


def test_it_names_the_current_state_when_a_verification_is_decided_twice(as_user, community, staff):
    applicant, room = factories.make_resident(), rf.make_room(community)
    pk = apply(as_user(applicant), room).json()["id"]
    assert as_user(staff).post(f"{REVIEW}{pk}/approve/").status_code == 200
    response = as_user(staff).post(f"{REVIEW}{pk}/reject/", {"reason": "信息不符"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "住户认证当前为「已通过」，不能驳回",
        "status": "approved",
    }


def test_it_writes_a_verification_history_row_for_submit_approve_and_leave(as_user, community, staff):
    applicant, room = factories.make_resident(), rf.make_room(community)
    pk = apply(as_user(applicant), room).json()["id"]
    as_user(staff).post(f"{REVIEW}{pk}/approve/")
    assert as_user(applicant).post(f"/api/v1/residents/households/{room.pk}/leave/").status_code == 204
    steps = list(Verification.objects.get(pk=pk).history.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("submit", "", "pending", applicant.pk),
        ("approve", "pending", "approved", staff.pk),
        ("leave", "approved", "left", applicant.pk),
    ]


def test_it_writes_the_reason_of_a_rejection_on_the_history_row(as_user, community, staff):
    applicant, room = factories.make_resident(), rf.make_room(community)
    pk = apply(as_user(applicant), room).json()["id"]
    as_user(staff).post(f"{REVIEW}{pk}/reject/", {"reason": "房产信息不符"}, format="json")
    last = Verification.objects.get(pk=pk).history.last()
    assert (last.action, last.from_status, last.to_status, last.actor, last.note) == (
        "reject",
        "pending",
        "rejected",
        staff,
        "房产信息不符",
    )


# --- the migration keeps the rows -----------------------------------------------------------------

BEFORE, AFTER = [("residents", "0001_initial")], [("residents", "0002_workflow_history")]


# On PostgreSQL only (CI step 3): going back to residents 0001 unapplies every app built on residents since
# (family, property, care), and SQLite rebuilds each table it alters — a minute of the README's quick run.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_work_order_timeline_and_starts_verification_histories_when_migrating(to_latest):
    community, reporter, reviewer = factories.make_community(), factories.make_resident(), factories.make_user()
    old = migrate(BEFORE)
    try:
        now = timezone.now()
        category = old.get_model("residents", "WorkOrderCategory").objects.create(name="水电维修")
        order = old.get_model("residents", "WorkOrder").objects.create(
            community_id=community.pk,
            reporter_id=reporter.pk,
            kind="repair",
            category=category,
            description="水管漏水",
            response_due_at=now + timedelta(hours=2),
            resolution_due_at=now + timedelta(hours=48),
        )
        event = old.get_model("residents", "WorkOrderEvent").objects.create(
            work_order=order, action="submit", to_status="submitted", actor_id=reporter.pk, duration_seconds=7
        )
        estate = old.get_model("residents", "Estate").objects.create(community_id=community.pk, name="春江月小区")
        building = old.get_model("residents", "Building").objects.create(estate=estate, name="3幢")
        room = old.get_model("residents", "Room").objects.create(building=building, number="502")
        verification = old.get_model("residents", "Verification").objects.create(
            user_id=reporter.pk,
            room=room,
            community_id=community.pk,
            relation="owner",
            real_name="张建国",
            phone="13905700001",
            status="rejected",
            reject_reason="房产信息不符",
            reviewed_by_id=reviewer.pk,
            reviewed_at=now + timedelta(minutes=5),
        )
    finally:
        new = migrate(AFTER)

    row = new.get_model("residents", "WorkOrderHistory").objects.get(pk=event.pk)
    assert (row.work_order_id, row.action, row.from_status, row.to_status, row.actor_id, row.duration_seconds) == (
        order.pk,
        "submit",
        "",
        "submitted",
        reporter.pk,
        7,
    )
    steps = new.get_model("residents", "VerificationHistory").objects.filter(verification_id=verification.pk)
    assert list(steps.values_list("action", "from_status", "to_status", "actor_id", "note")) == [
        ("submit", "", "pending", reporter.pk, ""),
        ("reject", "pending", "rejected", reviewer.pk, "房产信息不符"),
    ]

    # The photo migrations that follow run over the same rows: the order, its timeline, no photos.
    latest = to_latest()
    assert latest.get_model("residents", "WorkOrderHistory").objects.filter(work_order_id=order.pk).count() == 1
    assert not latest.get_model("residents", "WorkOrderPhoto").objects.filter(work_order_id=order.pk).exists()
